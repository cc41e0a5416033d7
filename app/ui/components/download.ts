// Saving a file the app made (a backup, an export, a decision record) through the browser's
// download, without loading the code that made it on every screen.
/** Offers `data` as a file in the browser's downloads. */
export function download(name: string, data: Uint8Array | string, type: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
