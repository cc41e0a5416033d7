// Types for measureBundle.mjs, so TypeScript tests can import it.
export interface FileSize {
  readonly file: string;
  readonly bytes: number;
  readonly gzip: number;
}
export function entryUrls(html: string): string[];
export function staticImports(code: string): string[];
export function measureBundle(distDir: string): {
  bundle_initial_js_gzip_bytes: number;
  bundle_initial_js_bytes: number;
  bundle_total_js_gzip_bytes: number;
  bundle_total_js_bytes: number;
  bundle_service_worker_js_gzip_bytes: number;
  /** The note editor's lazy chunk and its own imports (undefined when the build has none). */
  note_editor_chunk_gzip_bytes: number | undefined;
  files: { initial: FileSize[]; lazy: FileSize[] };
};
