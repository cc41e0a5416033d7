// Counters the relay keeps for /metrics (Prometheus text format). Only aggregate numbers:
// no room ids, no addresses, nothing that would let a reader list or watch a group.

export type Direction = 'in' | 'out';

export interface GaugeSnapshot {
  connections: number;
  topics: number;
  mailboxRooms: number;
  mailboxBytes: number;
  /** The mailbox's byte budget (HEARTH_MAILBOX_BUDGET). */
  mailboxBudgetBytes: number;
  /** 1 while writes are refused for space, else 0. */
  mailboxFull: boolean;
  /** Past 90% of the budget, or free disk under twice the reserve. */
  mailboxNearlyFull: boolean;
  /** Last free-space reading of the mailbox's disk; null when unknown. */
  diskFreeBytes: number | null;
}

export class Metrics {
  readonly messages = { in: 0, out: 0 };
  readonly bytes = { in: 0, out: 0 };
  readonly mailboxRequests = { read: 0, write: 0 };
  /** Mailbox notices sent to watching signaling connections. */
  mailboxNotices = 0;
  private readonly rejections = new Map<string, number>();

  reject(reason: string, count = 1): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + count);
  }

  rejectionCount(reason: string): number {
    return this.rejections.get(reason) ?? 0;
  }

  render(gauges: GaugeSnapshot): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('hearth_connections', 'gauge', 'Open signaling WebSocket connections.', [
      ['', gauges.connections],
    ]);
    metric('hearth_topics', 'gauge', 'Signaling topics with at least one subscriber.', [
      ['', gauges.topics],
    ]);
    metric('hearth_messages_total', 'counter', 'Signaling frames received and delivered.', [
      ['{direction="in"}', this.messages.in],
      ['{direction="out"}', this.messages.out],
    ]);
    metric('hearth_bytes_total', 'counter', 'Signaling bytes received and delivered.', [
      ['{direction="in"}', this.bytes.in],
      ['{direction="out"}', this.bytes.out],
    ]);
    metric('hearth_mailbox_requests_total', 'counter', 'Mailbox requests answered.', [
      ['{op="read"}', this.mailboxRequests.read],
      ['{op="write"}', this.mailboxRequests.write],
    ]);
    metric(
      'hearth_mailbox_notices_total',
      'counter',
      'Notices of new mailbox entries sent on signaling connections.',
      [['', this.mailboxNotices]],
    );
    metric('hearth_mailbox_rooms', 'gauge', 'Mailbox rooms holding at least one entry.', [
      ['', gauges.mailboxRooms],
    ]);
    metric('hearth_mailbox_bytes', 'gauge', 'Sealed bytes stored in the mailbox.', [
      ['', gauges.mailboxBytes],
    ]);
    metric('hearth_mailbox_budget_bytes', 'gauge', 'Most sealed bytes the mailbox may hold.', [
      ['', gauges.mailboxBudgetBytes],
    ]);
    metric(
      'hearth_mailbox_full',
      'gauge',
      '1 while mailbox writes are refused for lack of space (reads and signaling go on).',
      [['', gauges.mailboxFull ? 1 : 0]],
    );
    metric(
      'hearth_mailbox_nearly_full',
      'gauge',
      '1 past 90% of the mailbox budget or under twice the disk reserve.',
      [['', gauges.mailboxNearlyFull ? 1 : 0]],
    );
    if (gauges.diskFreeBytes !== null) {
      metric('hearth_disk_free_bytes', 'gauge', 'Free bytes on the mailbox disk, last read.', [
        ['', gauges.diskFreeBytes],
      ]);
    }
    const rejections = [...this.rejections.entries()].sort(([a], [b]) => a.localeCompare(b));
    metric(
      'hearth_rejections_total',
      'counter',
      'Frames, connections and requests refused, by reason.',
      rejections.map(([reason, n]) => [`{reason="${reason}"}`, n]),
    );
    return `${lines.join('\n')}\n`;
  }
}
