// The invite screens' link to the relay: one Invites service per Hearth, speaking HTTP to the
// relay that keeps each capsule. Screens call it; no screen builds requests itself.
import { HttpInviteRelay } from '../../adapters/HttpInviteRelay.ts';
import type { Hearth } from '../../core/hearth/Hearth.ts';
import { Invites } from '../../core/invite/Invites.ts';

const services = new WeakMap<Hearth, Invites>();

export function invitesOf(hearth: Hearth): Invites {
  let invites = services.get(hearth);
  if (!invites) {
    invites = new Invites(hearth, (relayUrl) => new HttpInviteRelay({ relayUrl }));
    services.set(hearth, invites);
  }
  return invites;
}
