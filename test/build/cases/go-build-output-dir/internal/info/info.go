package info

const Name, Version = "vault-lite", "0.9.0"
