"""Constants shared by the API tests (a module of its own: `from conftest import` is ambiguous
when several test folders run in one process)."""

PASSPHRASE = "magnolia river 1987 kite"
