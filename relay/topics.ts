// The pub/sub table behind signaling, kept free of sockets so its rules (per-subscriber
// cap, empty topics freed, leaving everything on close) are tested on their own. Rooms are
// small, so plain arrays beat Sets here in both memory per connection and fan-out speed.

export type SubscribeResult = 'added' | 'already' | 'limit';

/** Anything that can subscribe; the table keeps the subscriber's own topic list on it. */
export interface Subscriber {
  /** The topics this subscriber is in, or null for none. Only the TopicTable writes it. */
  topics: string[] | null;
}

/** Removes `item` by moving the last element into its place; order is not kept. */
function removeFrom<T>(list: T[], item: T): boolean {
  const at = list.indexOf(item);
  if (at === -1) return false;
  const last = list.pop()!;
  if (at < list.length) list[at] = last;
  return true;
}

export class TopicTable<S extends Subscriber> {
  private readonly topics = new Map<string, S[]>();
  private subscribed = 0;

  constructor(readonly maxTopicsPerSubscriber: number) {}

  subscribe(sub: S, topic: string): SubscribeResult {
    const mine = sub.topics;
    if (mine?.includes(topic)) return 'already';
    if ((mine?.length ?? 0) >= this.maxTopicsPerSubscriber) return 'limit';
    if (mine) {
      mine.push(topic);
    } else {
      sub.topics = [topic];
      this.subscribed++;
    }
    const subs = this.topics.get(topic);
    if (subs) subs.push(sub);
    else this.topics.set(topic, [sub]);
    return 'added';
  }

  unsubscribe(sub: S, topic: string): boolean {
    const mine = sub.topics;
    if (!mine || !removeFrom(mine, topic)) return false;
    if (mine.length === 0) {
      sub.topics = null;
      this.subscribed--;
    }
    this.leave(sub, topic);
    return true;
  }

  /** Leaves every topic of `sub`; called when its connection closes. */
  removeSubscriber(sub: S): void {
    const mine = sub.topics;
    if (!mine) return;
    sub.topics = null;
    this.subscribed--;
    for (const topic of mine) this.leave(sub, topic);
  }

  private leave(sub: S, topic: string): void {
    const subs = this.topics.get(topic);
    if (!subs) return;
    removeFrom(subs, sub);
    if (subs.length === 0) this.topics.delete(topic);
  }

  /** The live list of subscribers, in no particular order; callers must not mutate it. */
  subscribers(topic: string): readonly S[] | undefined {
    return this.topics.get(topic);
  }

  isSubscribed(sub: S, topic: string): boolean {
    return sub.topics?.includes(topic) ?? false;
  }

  topicsOf(sub: S): number {
    return sub.topics?.length ?? 0;
  }

  get topicCount(): number {
    return this.topics.size;
  }

  get subscriberCount(): number {
    return this.subscribed;
  }
}
