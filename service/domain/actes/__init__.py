"""The ACTES protocol of the Ministry of the Interior, as data: identifier, messages, archive."""
