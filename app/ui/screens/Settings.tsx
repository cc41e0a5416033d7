// Settings: this device's own matters, one section component each.
import { TopBar } from '../components/TopBar.tsx';
import { AboutApp } from '../install/AboutApp.tsx';
import { InstallApp } from '../install/InstallApp.tsx';
import { href } from '../router.ts';
import { homeRoute } from './routes.ts';

export function Settings() {
  return (
    <>
      <TopBar title="Settings" back={href(homeRoute)} backLabel="Back to your groups" />
      <main>
        <InstallApp />
        <AboutApp />
      </main>
    </>
  );
}
