// Reading a QR code: the camera (getUserMedia) while this component is shown, or a photo of
// the code. What the text means is the caller's business (an invite, a key code); the camera
// stops when the caller accepts a code or when the component goes away.
import { createSignal, createUniqueId, onCleanup, onMount, Show } from 'solid-js';

type Decoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

// jsQR (small, pure JS, works in every browser) loads only when something is scanned.
async function loadDecoder(): Promise<Decoder> {
  const mod = await import('jsqr');
  return (data, w, h) => mod.default(data, w, h, { inversionAttempts: 'dontInvert' });
}

/** Decodes the QR code in the current frame of `source`, or null. */
async function decodeFrame(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement,
  decode: Decoder,
): Promise<string | null> {
  const scale = Math.min(1, 640 / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return decode(img.data, img.width, img.height)?.data ?? null;
}

export function QrScanner(props: {
  /**
   * Called with the text of each code found. Return null to accept it (scanning stops), or a
   * sentence saying why it is not the code wanted (shown; the camera keeps looking).
   */
  onCode: (text: string) => string | null;
  /** Shown once the camera is on, e.g. "Point the camera at the invite QR code." */
  prompt: string;
  /** Label of the photo input. */
  photoLabel?: string;
}) {
  const photoId = createUniqueId();
  const [message, setMessage] = createSignal('Starting the camera…');
  const [error, setError] = createSignal('');
  const [cameraOn, setCameraOn] = createSignal(false);
  let video!: HTMLVideoElement;
  const canvas = document.createElement('canvas');
  let stream: MediaStream | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const t of stream?.getTracks() ?? []) t.stop();
    setCameraOn(false);
  };
  onCleanup(stop);

  const found = (text: string): boolean => {
    const refusal = props.onCode(text);
    if (refusal === null) {
      setError('');
      stop();
      return true;
    }
    setError(refusal);
    return false;
  };

  onMount(async () => {
    const decode = await loadDecoder();
    if (stopped) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      setMessage('This browser cannot use the camera here. Choose a photo of the QR code instead.');
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
    } catch {
      setMessage(
        'The camera is not available (permission refused or no camera). Choose a photo of the QR code instead.',
      );
      return;
    }
    if (stopped) return stop();
    video.srcObject = stream;
    await video.play().catch(() => undefined);
    setCameraOn(true);
    setMessage(props.prompt);
    const tick = async () => {
      if (stopped) return;
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const text = await decodeFrame(video, video.videoWidth, video.videoHeight, canvas, decode);
        if (text && found(text)) return;
      }
      timer = setTimeout(tick, 200);
    };
    void tick();
  });

  const fromPhoto = async (file: File | undefined) => {
    if (!file) return;
    setError('');
    let text: string | null;
    try {
      const [bitmap, decode] = await Promise.all([createImageBitmap(file), loadDecoder()]);
      text = await decodeFrame(bitmap, bitmap.width, bitmap.height, canvas, decode);
      bitmap.close();
    } catch {
      setError('That file could not be read as a picture.');
      return;
    }
    if (!text) setError('No QR code found in that picture. Try a sharper, closer photo.');
    else found(text);
  };

  return (
    <div class="qr-scanner">
      <p role="status">{message()}</p>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <video
        ref={video}
        class="scanner"
        classList={{ hidden: !cameraOn() }}
        muted
        playsinline
        aria-label="Camera view"
      />
      <div class="field">
        <label for={photoId}>{props.photoLabel ?? 'Or choose a photo of the QR code'}</label>
        <input
          id={photoId}
          type="file"
          accept="image/*"
          onChange={(e) => fromPhoto(e.currentTarget.files?.[0])}
        />
      </div>
    </div>
  );
}
