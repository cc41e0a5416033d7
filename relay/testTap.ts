// TEST ONLY (HEARTH_TEST_TAP=1): keeps every signaling frame and mailbox body the relay
// received so end-to-end tests can prove it never saw a key or a plaintext. Never enable it
// on a real relay: it holds everything in memory and serves it at GET /__test/received.

export class TestTap {
  private readonly items: string[] = [];

  constructor(private readonly maxItems = 200_000) {}

  record(item: string): void {
    if (this.items.length < this.maxItems) this.items.push(item);
  }

  list(): readonly string[] {
    return this.items;
  }
}
