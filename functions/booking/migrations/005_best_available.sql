-- Where each seat is, for best-available holds and the single-seat rule: its row, the row's
-- index from the screen, its column on the hall's grid (gaps and aisles take columns), and
-- whether it is an accessible place. Carried by showtime.scheduled.
ALTER TABLE showtime_seats ADD COLUMN row_label text, ADD COLUMN row_index integer, ADD COLUMN position integer, ADD COLUMN accessible boolean NOT NULL DEFAULT false;
-- Showtimes scheduled before places were carried: the row from the seat id, seats side by
-- side in number order (their gaps were never told).
UPDATE showtime_seats SET row_label = substring(seat_id FROM '^[A-Z]+'), position = substring(seat_id FROM '[0-9]+$')::int - 1;
UPDATE showtime_seats p SET row_index = r.i
  FROM (SELECT showtime_id, row_label, dense_rank() OVER (PARTITION BY showtime_id ORDER BY length(row_label), row_label) - 1 AS i
          FROM (SELECT DISTINCT showtime_id, row_label FROM showtime_seats) d) r
 WHERE r.showtime_id = p.showtime_id AND r.row_label = p.row_label;
ALTER TABLE showtime_seats ALTER COLUMN row_label SET NOT NULL, ALTER COLUMN row_index SET NOT NULL, ALTER COLUMN position SET NOT NULL;

-- The hall's focal point on that grid (NULL: the centre of the screen row), and the
-- operator's single-seat rule for this showtime (NULL: the NO_SINGLE_SEATS default).
ALTER TABLE showtimes ADD COLUMN focal_row numeric, ADD COLUMN focal_position numeric, ADD COLUMN no_single_seats boolean;
