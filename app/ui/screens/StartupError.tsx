/** Shown when the app cannot start at all (for example, storage is blocked). */
export function StartupError(props: { error: unknown }) {
  const message = () => {
    const e = props.error as { name?: string; message?: string } | null;
    if (e?.name === 'StorageError' || e?.name === 'InvalidStateError') {
      return 'Hearth could not open its storage on this device. Private browsing, or a full disk, can block it. Leave private mode or free some space, then reload.';
    }
    return 'Hearth could not start. Reload the page; if this keeps happening, your data is still on this device — update the app or tell the person who runs your relay.';
  };
  return (
    <main>
      <h1>Hearth could not start</h1>
      <p class="error" role="alert">
        {message()}
      </p>
      <button type="button" class="primary" onClick={() => location.reload()}>
        Reload
      </button>
    </main>
  );
}
