-- Where a hall's best view is, for best-available holds: {row, column?} as the operator gave it
-- in the layout. NULL: the centre of the screen row.
ALTER TABLE halls ADD COLUMN focal_point jsonb;
