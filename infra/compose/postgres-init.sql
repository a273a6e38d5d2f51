-- Runs once, when the compose PostgreSQL initialises its volume: a database per domain (the
-- `migrate` service then applies each domain's functions/<domain>/migrations/ to them) and one per chain replica, since
-- each replica keeps its own copy of the chain.
CREATE DATABASE cinema_auth;
CREATE DATABASE cinema_catalog;
CREATE DATABASE cinema_booking;
CREATE DATABASE cinema_payment;
CREATE DATABASE cinema_ledger;
CREATE DATABASE chain_replica_0;
CREATE DATABASE chain_replica_1;
CREATE DATABASE chain_replica_2;
CREATE DATABASE chain_replica_3;
