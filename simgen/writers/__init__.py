"""Pure, atomic writers: same input, same bytes; temp file then `os.replace`."""
