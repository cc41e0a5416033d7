// The messages between the page and the search worker. Documents go in as the features give
// them, a slice at a time (an id sent without a document leaves the index); the worker keeps
// the index in memory only (nothing of it is ever stored).
import type { SearchDoc } from '../../core/features/Feature.ts';
import type { SearchFilter, SearchHit } from '../../core/search/SearchIndex.ts';

export type ToWorker =
  | {
      readonly type: 'update';
      readonly groupId: string;
      readonly ids: readonly string[];
      readonly docs: readonly SearchDoc[];
    }
  /** The group's first pass was sent: answer `loaded` once it is indexed. */
  | { readonly type: 'done'; readonly groupId: string }
  | {
      readonly type: 'query';
      readonly id: number;
      readonly query: string;
      readonly filter: SearchFilter;
      readonly limit: number;
    };

export type FromWorker =
  | { readonly type: 'loaded'; readonly groupId: string; readonly size: number }
  | { readonly type: 'result'; readonly id: number; readonly hits: readonly SearchHit[] };
