// The door: pick a showtime, scan tickets with the camera or type a reference and seat, and
// see the verdict fill the screen. Offline it goes on with the showtime's manifest, keeps a
// journal and uploads it when the line is back; conflicts found then are shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import jsQR from 'jsqr';
import { api, ApiError, type DoorManifest, type DoorVerdict, type Showtime, type ShowtimeCheckins } from '../../shared/api';
import { say } from '../errors';
import { nextDays, timeOf, when } from '../format';
import { user } from '../state';
import { deviceId, judgeOffline, newScanId, saveJournal, saveManifest, savedJournal, savedManifest, type JournalEntry } from '../door';

const TITLES: Record<DoorVerdict, string> = {
  admitted: 'Admitted',
  'already-admitted': 'Already admitted',
  revoked: 'Ticket revoked',
  'wrong-showtime': 'Wrong showtime',
  'not-yet-open': 'Door not open yet',
  closed: 'Ticket no longer valid',
  'not-a-ticket': 'Not a ticket',
};
const tone = (v: DoorVerdict) => (v === 'admitted' ? 'good' : v === 'not-yet-open' || v === 'wrong-showtime' ? 'warn' : 'bad');

function ShowtimePicker() {
  const [day, setDay] = useState(nextDays(1)[0]!);
  const [list, setList] = useState<Showtime[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setList(null);
    api.showtimes(day).then((p) => setList(p.items.filter((s) => s.status === 'scheduled')), (err) => setError(say(err)));
  }, [day]);
  return (
    <section aria-labelledby="door-title">
      <h1 id="door-title">Door check-in</h1>
      <p>
        <label>
          Day <input type="date" value={day} onInput={(e) => setDay((e.target as HTMLInputElement).value)} />
        </label>
      </p>
      {error && <p class="panel error-text">{error}</p>}
      {!list && !error && <p aria-busy="true">Loading showtimes…</p>}
      {list && list.length === 0 && <p class="panel">No showtimes on this day.</p>}
      <ul class="bookings">
        {list?.map((s) => (
          <li key={s.id}>
            <a class="button" href={`#/door?showtime=${s.id}`}>{`Check in ${s.movieTitle} at ${timeOf(s.startsAt)} in ${s.hallName}`}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Shown {
  verdict: DoorVerdict;
  reason: string;
  seat?: string;
  offline: boolean;
}

function Scanner({ showtimeId }: { showtimeId: string }) {
  const device = useRef(deviceId()).current;
  const [manifest, setManifest] = useState<DoorManifest | undefined>(() => savedManifest(showtimeId));
  const [journal, setJournal] = useState<JournalEntry[]>(() => savedJournal(showtimeId));
  const [online, setOnline] = useState(navigator.onLine);
  const [shown, setShown] = useState<Shown | null>(null);
  const [camera, setCamera] = useState<'starting' | 'on' | string>('starting');
  const [typed, setTyped] = useState('');
  const [cameraPaused, setCameraPaused] = useState(false);
  const cameraPausedRef = useRef(false);
  cameraPausedRef.current = cameraPaused;
  const [report, setReport] = useState<ShowtimeCheckins | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const paused = useRef(false);
  // the ticket just judged is likely still in front of the camera: not read again for a moment
  const lastRead = useRef({ code: '', until: 0 });
  const journalRef = useRef(journal);
  const manifestRef = useRef(manifest);
  journalRef.current = journal;
  manifestRef.current = manifest;

  const remember = (next: JournalEntry[]) => {
    journalRef.current = next;
    saveJournal(showtimeId, next);
    setJournal(next);
  };

  const refresh = async () => {
    try {
      const m = (await api.doorManifest(showtimeId)).manifest;
      saveManifest(m);
      setManifest(m);
      setReport(await api.showtimeCheckins(showtimeId));
      setOnline(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) setOnline(false);
    }
  };

  // the line: the browser's word, and whether our calls get through; a journal waiting is uploaded
  const sync = async () => {
    if (!navigator.onLine) return setOnline(false);
    const waiting = journalRef.current.filter((e) => !e.server);
    let uploaded = false;
    for (const entry of waiting) {
      try {
        const { checkin } = await api.checkIn(entry.scan);
        // the same scan id again on a retry counts once on the server
        remember(journalRef.current.map((e) => (e.scan.scanId === entry.scan.scanId ? { ...e, server: checkin } : e)));
        uploaded = true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 0) return setOnline(false);
        remember(journalRef.current.map((e) => (e.scan.scanId === entry.scan.scanId ? { ...e, server: { scanId: e.scan.scanId, verdict: 'not-a-ticket', reason: say(err) } } : e)));
      }
    }
    if (uploaded || !report) await refresh();
    else setOnline(true);
  };

  useEffect(() => {
    void refresh().then(sync);
    const goOnline = () => void sync();
    const goOffline = () => setOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    const timer = setInterval(() => void sync().then(() => (navigator.onLine ? refresh() : undefined)), 4000);
    return () => {
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
      clearInterval(timer);
    };
  }, [showtimeId]);

  const judge = async (text: string) => {
    paused.current = true;
    const scan = { code: text, deviceId: device, scanId: newScanId(), scannedAt: new Date().toISOString(), showtimeId };
    if (navigator.onLine) {
      try {
        const { checkin } = await api.checkIn(scan);
        setOnline(true);
        remember([...journalRef.current, { scan, verdict: checkin.verdict, reason: checkin.reason, seat: checkin.ticket?.seat, ticketId: checkin.ticket?.id, server: checkin }]);
        return setShown({ verdict: checkin.verdict, reason: checkin.reason, seat: checkin.ticket?.seat, offline: false });
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 0)) return setShown({ verdict: 'not-a-ticket', reason: say(err), offline: false });
      }
    }
    setOnline(false);
    const m = manifestRef.current;
    if (!m) return setShown({ verdict: 'not-a-ticket', reason: 'Offline, and this device has no list of the showtime’s tickets yet: connect once to download it.', offline: true });
    const local = judgeOffline(text, m, journalRef.current);
    remember([...journalRef.current, { scan: { ...scan, offline: true, localVerdict: local.verdict }, ...local }]);
    setShown({ verdict: local.verdict, reason: local.reason, seat: local.seat, offline: true });
  };

  // the camera: a frame every 150 ms through jsQR; a code it cannot read, or one that is no
  // ticket, is a verdict like any other and the scanner goes on
  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let timer: ReturnType<typeof setInterval> | undefined;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return stream.getTracks().forEach((t) => t.stop());
        video.current!.srcObject = stream;
        await video.current!.play().catch(() => undefined);
        setCamera('on');
        timer = setInterval(() => {
          const v = video.current;
          if (paused.current || cameraPausedRef.current || !v || !ctx || v.readyState < 2 || !v.videoWidth) return;
          try {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            ctx.drawImage(v, 0, 0);
            const found = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: 'attemptBoth' });
            if (!found?.data || (found.data === lastRead.current.code && Date.now() < lastRead.current.until)) return;
            lastRead.current = { code: found.data, until: 0 };
            void judge(found.data);
          } catch {
            // a frame that fails to decode is just the next frame's chance
          }
        }, 150);
      } catch (err) {
        setCamera(`No camera: ${(err as Error).message || 'permission refused'}. Type the reference and seat instead.`);
      }
    })();
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [showtimeId]);

  const next = () => {
    lastRead.current.until = Date.now() + 2500;
    setShown(null);
    paused.current = false;
  };
  const waiting = journal.filter((e) => !e.server).length;

  return (
    <section aria-labelledby="door-title">
      <h1 id="door-title">{manifest ? `Door: ${manifest.showtime.movieTitle}` : 'Door check-in'}</h1>
      <p>
        <span role="status" class={`door-status ${online ? 'online' : 'offline'}`}>
          {online ? 'Online' : 'Offline'}
        </span>{' '}
        {manifest ? (
          <span class="muted">
            {manifest.showtime.hallName} · {when(manifest.showtime.startsAt)} · list of {manifest.tickets.length} tickets from {timeOf(manifest.generatedAt)} · device {device}
          </span>
        ) : (
          <span class="muted">Downloading the list of tickets…</span>
        )}
      </p>
      <video ref={video} class="door-video" hidden={camera !== 'on'} muted playsInline aria-label="Camera: hold a ticket's QR code in front of it" />
      {camera === 'on' && (
        <p>
          <button type="button" class="secondary" aria-pressed={cameraPaused} onClick={() => setCameraPaused(!cameraPaused)}>
            Pause camera
          </button>
        </p>
      )}
      {camera !== 'on' && camera !== 'starting' && <p class="panel">{camera}</p>}
      <form
        class="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) void judge(typed.trim()).then(() => setTyped(''));
        }}
      >
        <label>
          Reference and seat, or ticket code <input value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} placeholder="K7Q-4MX C5" autoComplete="off" />
        </label>{' '}
        <button type="submit">Check</button>
      </form>
      <p aria-live="polite">
        {journal.length} scans on this device{waiting ? `, ${waiting} waiting to upload` : ', all uploaded'}
        {report ? ` · ${report.counts.admitted} of ${report.counts.tickets} tickets admitted` : ''}
      </p>
      {report && report.conflicts.length > 0 && (
        <section aria-labelledby="conflicts-title" class="panel">
          <h2 id="conflicts-title">Conflicts</h2>
          <ul class="conflicts">
            {report.conflicts.map((c) => (
              <li key={c.ticketId + c.deviceId}>{`Seat ${c.seat}: admitted by ${c.firstDeviceId} and, offline, by ${c.deviceId}`}</li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="#/door">Another showtime</a>
      </p>
      {shown && (
        <div class={`door-verdict ${tone(shown.verdict)}`} role="dialog" aria-modal="true" aria-labelledby="verdict-title">
          <h2 id="verdict-title">{TITLES[shown.verdict]}</h2>
          {shown.seat && <p class="seat">Seat {shown.seat}</p>}
          {shown.verdict !== 'admitted' && <p>{shown.reason}</p>}
          {shown.offline && <p>Decided offline: uploaded when the line is back.</p>}
          <button type="button" autoFocus onClick={next}>
            Scan next
          </button>
        </div>
      )}
    </section>
  );
}

export function DoorPage({ showtimeId }: { showtimeId?: string }) {
  const role = user.value?.role;
  if (role !== 'door' && role !== 'admin')
    return (
      <section>
        <h1>Door check-in</h1>
        <p class="panel">
          This page is for door staff. <a href="#/signin?next=%23%2Fdoor">Sign in</a> with a door staff account.
        </p>
      </section>
    );
  return showtimeId ? <Scanner showtimeId={showtimeId} /> : <ShowtimePicker />;
}
