-- Blocks, prepared certificates and signed PRE-PREPAREs are JSON documents of up to a few hundred
-- kilobytes, compressed when stored: lz4 costs PostgreSQL about a third less CPU per committed
-- transaction than the default pglz (bench/cluster.bench.ts). Only where the server was built
-- with lz4; elsewhere the columns keep pglz. Rows already written stay as they are.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE blocks ALTER COLUMN transactions SET COMPRESSION lz4;
    ALTER TABLE prepared_certificates ALTER COLUMN certificate SET COMPRESSION lz4;
    ALTER TABLE signed_messages ALTER COLUMN message SET COMPRESSION lz4;
  END IF;
END $$;
