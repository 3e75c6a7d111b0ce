CREATE TABLE accounts (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
CREATE INDEX accounts_name ON accounts (name);
