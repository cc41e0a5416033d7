import { InviteError } from '../../core/invite/invite.ts';
import { QrScanner } from '../components/QrScanner.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { offerInviteText } from './joinOffer.ts';
import { homeRoute } from './routes.ts';

/**
 * Join by scanning: the camera or a photo of a QR code. A code that is not a Hearth invite
 * says so in plain words and changes nothing; a short link is opened on the join screen.
 */
export function ScanInvite() {
  const onCode = (text: string): string | null => {
    try {
      offerInviteText(text);
      return null;
    } catch (e) {
      return e instanceof InviteError
        ? `That QR code is not a working Hearth invite: ${e.message}`
        : 'That QR code is not a Hearth invite.';
    }
  };

  return (
    <>
      <TopBar title="Scan an invite" back={href(homeRoute)} />
      <main>
        <QrScanner onCode={onCode} prompt="Point the camera at the invite QR code." />
      </main>
    </>
  );
}
