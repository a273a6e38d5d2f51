-- The seats of a showtime as rows: a hold looks up its seats by primary key instead of
-- reading (and decompressing) the whole hall's seat map on every attempt.
CREATE TABLE showtime_seats (
  showtime_id  uuid NOT NULL REFERENCES showtimes(id) ON DELETE CASCADE,
  seat_id      text NOT NULL,
  category     text NOT NULL,
  price        integer NOT NULL CHECK (price >= 0),
  PRIMARY KEY (showtime_id, seat_id)
);
INSERT INTO showtime_seats (showtime_id, seat_id, category, price)
SELECT s.id, seat.key, seat.value ->> 'category', (seat.value ->> 'price')::int FROM showtimes s, jsonb_each(s.seats) AS seat;
ALTER TABLE showtimes DROP COLUMN seats;
