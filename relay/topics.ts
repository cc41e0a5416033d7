// The pub/sub table behind signaling, kept free of sockets so its rules (per-subscriber
// cap, empty topics freed, leaving everything on close) are tested on their own.

export type SubscribeResult = 'added' | 'already' | 'limit';

export class TopicTable<S> {
  private readonly topics = new Map<string, Set<S>>();
  private readonly bySubscriber = new Map<S, Set<string>>();

  constructor(readonly maxTopicsPerSubscriber: number) {}

  subscribe(sub: S, topic: string): SubscribeResult {
    let mine = this.bySubscriber.get(sub);
    if (mine?.has(topic)) return 'already';
    if ((mine?.size ?? 0) >= this.maxTopicsPerSubscriber) return 'limit';
    if (!mine) {
      mine = new Set();
      this.bySubscriber.set(sub, mine);
    }
    mine.add(topic);
    let subs = this.topics.get(topic);
    if (!subs) {
      subs = new Set();
      this.topics.set(topic, subs);
    }
    subs.add(sub);
    return 'added';
  }

  unsubscribe(sub: S, topic: string): boolean {
    const mine = this.bySubscriber.get(sub);
    if (!mine?.delete(topic)) return false;
    if (mine.size === 0) this.bySubscriber.delete(sub);
    const subs = this.topics.get(topic);
    if (subs) {
      subs.delete(sub);
      if (subs.size === 0) this.topics.delete(topic);
    }
    return true;
  }

  /** Leaves every topic of `sub`; called when its connection closes. */
  removeSubscriber(sub: S): void {
    const mine = this.bySubscriber.get(sub);
    if (!mine) return;
    for (const topic of mine) {
      const subs = this.topics.get(topic);
      if (!subs) continue;
      subs.delete(sub);
      if (subs.size === 0) this.topics.delete(topic);
    }
    this.bySubscriber.delete(sub);
  }

  /** The live set of subscribers; callers must not mutate it. */
  subscribers(topic: string): ReadonlySet<S> | undefined {
    return this.topics.get(topic);
  }

  isSubscribed(sub: S, topic: string): boolean {
    return this.bySubscriber.get(sub)?.has(topic) ?? false;
  }

  topicsOf(sub: S): number {
    return this.bySubscriber.get(sub)?.size ?? 0;
  }

  get topicCount(): number {
    return this.topics.size;
  }

  get subscriberCount(): number {
    return this.bySubscriber.size;
  }
}
