CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE movies (
  id               uuid PRIMARY KEY,
  title            text NOT NULL,
  description      text NOT NULL DEFAULT '',
  genres           text[] NOT NULL DEFAULT '{}',
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
  rating           text,
  release_date     date NOT NULL,
  poster_url       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX movies_release ON movies (release_date);
CREATE INDEX movies_genres ON movies USING gin (genres);

CREATE TABLE halls (
  id          uuid PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  -- price in cents of each seat category of this hall, e.g. {"standard": 1200, "premium": 1800}
  categories  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per seat. `position` is the seat's column on the grid, so gaps and aisles are
-- the positions no seat takes.
CREATE TABLE hall_seats (
  hall_id     uuid NOT NULL REFERENCES halls(id) ON DELETE CASCADE,
  seat_id     text NOT NULL,
  row_label   text NOT NULL,
  row_index   integer NOT NULL,
  number      integer NOT NULL,
  position    integer NOT NULL,
  category    text NOT NULL,
  accessible  boolean NOT NULL DEFAULT false,
  PRIMARY KEY (hall_id, seat_id),
  UNIQUE (hall_id, row_index, position)
);

CREATE TABLE showtimes (
  id          uuid PRIMARY KEY,
  movie_id    uuid NOT NULL REFERENCES movies(id) ON DELETE RESTRICT,
  hall_id     uuid NOT NULL REFERENCES halls(id) ON DELETE RESTRICT,
  starts_at   timestamptz NOT NULL,
  -- the movie's running time plus the hall's turnaround; two showtimes of a hall never share a minute
  ends_at     timestamptz NOT NULL,
  -- price in cents per seat category, fixed when the showtime is scheduled
  prices      jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CONSTRAINT showtimes_no_overlap EXCLUDE USING gist (hall_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'scheduled')
);
CREATE INDEX showtimes_movie_start ON showtimes (movie_id, starts_at);
CREATE INDEX showtimes_start ON showtimes (starts_at);

-- The seat map read model: seats that are not free. Kept by booking's events.
CREATE TABLE showtime_seats (
  showtime_id uuid NOT NULL REFERENCES showtimes(id) ON DELETE CASCADE,
  seat_id     text NOT NULL,
  status      text NOT NULL CHECK (status IN ('held', 'sold')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (showtime_id, seat_id)
);

CREATE TABLE wishlist (
  user_id     uuid NOT NULL,
  movie_id    uuid NOT NULL REFERENCES movies(id) ON DELETE CASCADE,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, movie_id)
);
