// Settings: this device's own matters, one section component each.
import { TopBar } from '../components/TopBar.tsx';
import { BackupSettings } from '../features/devices/BackupSettings.tsx';
import { LinkDevice } from '../features/devices/LinkDevice.tsx';
import { StorageSettings } from '../features/devices/StorageSettings.tsx';
import { AboutApp } from '../install/AboutApp.tsx';
import { InstallApp } from '../install/InstallApp.tsx';
import { href } from '../router.ts';
import { AppLockSettings } from '../settings/AppLockSettings.tsx';
import { homeRoute } from './routes.ts';

export function Settings() {
  return (
    <>
      <TopBar title="Settings" back={href(homeRoute)} backLabel="Back to your groups" />
      <main>
        <InstallApp />
        <LinkDevice />
        <BackupSettings />
        <StorageSettings />
        <AppLockSettings />
        <AboutApp />
      </main>
    </>
  );
}
