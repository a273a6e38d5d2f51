-- The programme (the public movie listing) is the movies not archived, newest release first:
-- one index in that order serves a page of it and counts it without reading the table.
CREATE INDEX movies_programme ON movies (release_date DESC, title, id) WHERE archived_at IS NULL;
