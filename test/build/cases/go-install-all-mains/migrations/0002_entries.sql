CREATE TABLE entries (id BIGSERIAL PRIMARY KEY, account_id BIGINT REFERENCES accounts(id), amount NUMERIC(12,2));
