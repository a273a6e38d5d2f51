-- An operator archives a movie or a hall once its showtimes are all cancelled or over: it
-- leaves the public listings and takes no new showtimes, while its row stays for the history
-- (past showtimes, bookings and the ledger still name it). NULL: in use.
ALTER TABLE movies ADD COLUMN archived_at timestamptz;
ALTER TABLE halls ADD COLUMN archived_at timestamptz;
