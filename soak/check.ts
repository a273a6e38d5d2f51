// The soak's verdict: given what was read from each domain's database, the chain and the
// customers' own views once the platform is quiet, the anomalies — each named by the invariant
// it breaks and the ids involved. Pure: no database, no clock, so planted anomalies test it.

export interface SoakRows {
  /** booking's seat_claims */
  claims: { showtimeId: string; seatId: string; status: 'held' | 'sold'; bookingId: string | null }[];
  /** catalog's showtime_seats, its copy of the seat map */
  catalogSeats: { showtimeId: string; seatId: string; status: string }[];
  bookings: { id: string; userId: string; showtimeId: string; paymentId: string; seats: string[]; amount: number; status: 'confirmed' | 'cancelled' }[];
  payments: { id: string; userId: string; amount: number; status: 'pending' | 'succeeded' | 'failed' | 'refunded'; sessionId: string }[];
  refunds: { paymentId: string; amount: number }[];
  /** the test provider's sessions: what the card network says it charged */
  sessions: { id: string; status: 'open' | 'paid' | 'declined' | 'refunded' }[];
  /** every money and booking fact the domains announced (their outboxes), which the ledger must hold */
  facts: { eventId: string; type: string }[];
  unsent: { domain: string; eventId: string; type: string }[];
  replicas: { id: number; ok: boolean; reason?: string; height: number; headHash?: string }[];
  /** transaction id → how often it is in the chain (one replica's; the others are checked identical) */
  chainTransactions: Record<string, number>;
  dead: { queue: string; eventId: string; type: string }[];
  /** events the soak itself made invalid (forged), whose place is a DLQ */
  poisoned: string[];
  serverErrors: { at: number; status: number; method: string; path: string; answer?: string }[];
  faults: { kind: string; start: number; end: number }[];
  /** how long after a fault healed its effects may still show as a 5xx */
  graceMs: number;
  customerViews: { userId: string; bookings: { id: string; status: string; seats: string[] }[] }[];
  proofs: { bookingId: string; ok: boolean; reason?: string }[];
}

export interface Anomaly {
  invariant: string;
  ids: string[];
  detail: string;
}

/** The ledger records these; each must be on the chain exactly once. */
export const LEDGER_FACTS = ['payment.success', 'payment.refunded', 'booking.confirmed', 'booking.cancelled'];

const seatKey = (showtimeId: string, seatId: string) => `${showtimeId}/${seatId}`;
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export function checkSoak(rows: SoakRows): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const report = (invariant: string, ids: string[], detail: string) => anomalies.push({ invariant, ids, detail });

  // no seat sold twice; booking and catalog agree on every seat
  const confirmed = rows.bookings.filter((b) => b.status === 'confirmed');
  const soldTo = new Map<string, string[]>();
  for (const b of confirmed) for (const s of b.seats) soldTo.set(seatKey(b.showtimeId, s), [...(soldTo.get(seatKey(b.showtimeId, s)) ?? []), b.id]);
  for (const [seat, ids] of soldTo) if (ids.length > 1) report('seat sold twice', [seat, ...ids], `${seat} is in ${ids.length} confirmed bookings`);
  const soldClaims = new Map(rows.claims.filter((c) => c.status === 'sold').map((c) => [seatKey(c.showtimeId, c.seatId), c.bookingId]));
  for (const [seat, ids] of soldTo) {
    if (!soldClaims.has(seat)) report('booking and its claims agree', [seat, ...ids], `${seat} is booked but booking's claims do not have it sold`);
    else if (!ids.includes(soldClaims.get(seat)!)) report('booking and its claims agree', [seat, ...ids, soldClaims.get(seat)!], `${seat} is sold under another booking`);
  }
  for (const [seat, bookingId] of soldClaims) if (!soldTo.has(seat)) report('booking and its claims agree', [seat, bookingId ?? ''], `${seat} is claimed sold without a confirmed booking`);
  const catalogSold = new Set(rows.catalogSeats.filter((s) => s.status === 'sold').map((s) => seatKey(s.showtimeId, s.seatId)));
  for (const seat of soldClaims.keys()) if (!catalogSold.has(seat)) report('booking and catalog agree on every seat', [seat], `${seat} is sold in booking, not in catalog`);
  for (const seat of catalogSold) if (!soldClaims.has(seat)) report('booking and catalog agree on every seat', [seat], `${seat} is sold in catalog, not in booking`);

  // money: every succeeded payment one confirmed booking or a refund; every booking a payment
  const bookingsOf = new Map<string, typeof rows.bookings>();
  for (const b of rows.bookings) bookingsOf.set(b.paymentId, [...(bookingsOf.get(b.paymentId) ?? []), b]);
  const refundOf = new Map(rows.refunds.map((r) => [r.paymentId, r]));
  const payments = new Map(rows.payments.map((p) => [p.id, p]));
  for (const p of rows.payments) {
    const mine = bookingsOf.get(p.id) ?? [];
    const live = mine.filter((b) => b.status === 'confirmed');
    if (p.status === 'succeeded' && live.length !== 1) report('every succeeded payment has one confirmed booking or a refund', [p.id, ...mine.map((b) => b.id)], `payment succeeded with ${live.length} confirmed bookings and no refund`);
    if (p.status === 'refunded') {
      const refund = refundOf.get(p.id);
      if (!refund) report('every succeeded payment has one confirmed booking or a refund', [p.id], 'payment marked refunded without a refund');
      else if (refund.amount !== p.amount) report('every succeeded payment has one confirmed booking or a refund', [p.id], `refunded ${refund.amount} of ${p.amount}`);
      if (live.length) report('every succeeded payment has one confirmed booking or a refund', [p.id, ...live.map((b) => b.id)], 'payment refunded while its booking is confirmed');
    }
    if (p.status !== 'succeeded' && p.status !== 'refunded' && mine.length) report('every confirmed booking has a succeeded payment', [p.id, ...mine.map((b) => b.id)], `a booking for a payment that is ${p.status}`);
  }
  for (const b of rows.bookings) {
    const p = payments.get(b.paymentId);
    if (b.status !== 'confirmed') continue;
    if (!p) report('every confirmed booking has a succeeded payment', [b.id, b.paymentId], 'confirmed booking with no payment');
    else if (p.status !== 'succeeded') report('every confirmed booking has a succeeded payment', [b.id, p.id], `confirmed booking whose payment is ${p.status}`);
    else if (p.amount !== b.amount) report('every confirmed booking has a succeeded payment', [b.id, p.id], `booking of ${b.amount} paid ${p.amount}`);
  }
  const paymentOfSession = new Map(rows.payments.map((p) => [p.sessionId, p]));
  for (const s of rows.sessions) {
    const p = paymentOfSession.get(s.id);
    if (s.status === 'paid' && p?.status !== 'succeeded') report('no money taken without a booking or a refund', [s.id, p?.id ?? ''], `the provider charged, the payment is ${p?.status ?? 'missing'}`);
    if (s.status === 'refunded' && p?.status !== 'refunded') report('no money taken without a booking or a refund', [s.id, p?.id ?? ''], `the provider refunded, the payment is ${p?.status ?? 'missing'}`);
    if (p && (p.status === 'succeeded' || p.status === 'refunded') && s.status !== (p.status === 'succeeded' ? 'paid' : 'refunded')) report('no money taken without a booking or a refund', [s.id, p.id], `payment ${p.status}, the provider's session ${s.status}`);
  }

  // the chain: every fact once, replicas identical and verifying, proofs verifying
  for (const f of rows.facts) {
    const n = rows.chainTransactions[f.eventId] ?? 0;
    if (n !== 1) report('every payment and booking fact on the chain exactly once', [f.eventId], `${f.type} is on the chain ${n} times`);
  }
  const known = new Set(rows.facts.map((f) => f.eventId));
  for (const [id, n] of Object.entries(rows.chainTransactions)) if (!known.has(id)) report('every payment and booking fact on the chain exactly once', [id], `a transaction on the chain (${n}×) no domain announced`);
  for (const r of rows.replicas) if (!r.ok) report('every replica verifies from genesis', [`replica ${r.id}`], r.reason ?? 'does not verify');
  const [first] = rows.replicas;
  for (const r of rows.replicas) {
    if (first && (r.height !== first.height || r.headHash !== first.headHash)) report('all replicas hold the same chain', [`replica ${first.id}`, `replica ${r.id}`], `heights ${first.height} and ${r.height}, heads ${first.headHash} and ${r.headHash}`);
  }
  for (const p of rows.proofs) if (!p.ok) report("every booking's proof verifies", [p.bookingId], p.reason ?? 'does not verify');
  const proven = new Set(rows.proofs.map((p) => p.bookingId));
  for (const b of confirmed) if (!proven.has(b.id)) report("every booking's proof verifies", [b.id], 'no proof was read');

  // events: nothing stranded, nothing unsent
  const poisoned = new Set(rows.poisoned);
  for (const d of rows.dead) if (!poisoned.has(d.eventId)) report('no event stranded in a DLQ', [d.eventId], `${d.type} in ${d.queue}`);
  for (const u of rows.unsent) report('no outbox row left unsent', [u.eventId], `${u.type} still in ${u.domain}'s outbox`);

  // the customers' side: no 5xx outside a fault's window, and what they are shown is stored
  for (const e of rows.serverErrors) {
    if (!rows.faults.some((f) => e.at >= f.start && e.at <= f.end + rows.graceMs)) report('no 5xx outside the fault windows', [`${e.method} ${e.path}`], `${e.status} at ${new Date(e.at).toISOString()}${e.answer ? `: ${e.answer}` : ''}`);
  }
  const stored = new Map<string, typeof rows.bookings>();
  for (const b of rows.bookings) stored.set(b.userId, [...(stored.get(b.userId) ?? []), b]);
  for (const v of rows.customerViews) {
    const theirs = stored.get(v.userId) ?? [];
    const shown = new Map(v.bookings.map((b) => [b.id, b]));
    for (const b of theirs) {
      const s = shown.get(b.id);
      if (!s) report("a customer's GET /bookings matches the databases", [v.userId, b.id], 'a stored booking the customer is not shown');
      else if (s.status !== b.status || !sameSet(s.seats, b.seats)) report("a customer's GET /bookings matches the databases", [v.userId, b.id], `shown ${s.status} ${s.seats.join(',')}, stored ${b.status} ${b.seats.join(',')}`);
    }
    for (const id of shown.keys()) if (!theirs.some((b) => b.id === id)) report("a customer's GET /bookings matches the databases", [v.userId, id], 'shown a booking that is not stored as theirs');
  }
  return anomalies;
}
