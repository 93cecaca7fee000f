"""Reading a CSV file's text: bounded, a line at a time, the header first
(:mod:`tinybackprop.datasets.csvfile` builds the data set from it).

=================================  ===================================================
``read_csv_text(path, op, limit)`` the file as text: a regular file of at most ``limit`` bytes
``header(text, source)``          (row, line) of the header: at most 10,000 columns
``lines(text, source, width)``    (row, line) of every non-blank line, one at a time;
                                   at most a million fields in all
``csv_fields(line, row, source)`` one line's fields (quotes protect commas)
``number(text)``                  float(text) when finite, else None
=================================  ===================================================

>>> next(lines("a,b\\n\\n1,2\\n", "t.csv", 2))
(1, 'a,b')
"""
from ..errors import BackpropError

#: The largest CSV file :func:`load_csv` reads, in bytes (10 MiB): pure Python trains on
#: thousands of rows, not millions, and a bigger file is almost surely a mistake.
CSV_MAX_BYTES = 10 * 1024 * 1024
#: The most columns, and the most fields (rows x columns), a CSV file may have: checked
#: from the header and while the rows are read, so a file of millions of short rows
#: or a header of 100,000 names is refused before much is built.
CSV_MAX_COLUMNS = 10000
CSV_MAX_VALUES = 10 ** 6


def csv_fields(line, row, source):
    """One CSV line as its fields: commas separate, double quotes protect commas
    and (doubled) quotes; spaces around a field are dropped."""
    if '"' not in line:
        return [f.strip() for f in line.split(",")]
    fields, field, quoted, k, n = [], [], False, 0, len(line)
    while k < n:
        ch = line[k]
        if quoted:
            if ch == '"':
                if k + 1 < n and line[k + 1] == '"':
                    field.append('"')
                    k += 1
                else:
                    quoted = False
            else:
                field.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            fields.append("".join(field).strip())
            field = []
        else:
            field.append(ch)
        k += 1
    if quoted:
        raise BackpropError("%s row %d: a quoted field is not closed (a field cannot span lines)" % (source, row))
    fields.append("".join(field).strip())
    return fields


def number(text):
    """float(text) when it is a finite number, else None."""
    try:
        x = float(text)
    except ValueError:
        return None
    if x != x or x in (float("inf"), float("-inf")):
        return None
    return x


def read_csv_text(path, op, limit=CSV_MAX_BYTES):
    from .. import files
    try:
        data = files.read_bytes(path, op, limit, "a CSV file")
    except BackpropError as e:
        if "more than the" not in str(e):
            raise
        raise BackpropError("%s: %s is larger than the limit of %d MiB for a CSV file (pure Python trains on "
                            "thousands of rows, not millions)" % (op, path, max(1, limit // (1024 * 1024))))
    if data[:3] == b"\xef\xbb\xbf":  # a byte-order mark, as spreadsheets write
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeError as e:
        start = getattr(e, "start", None)
        where = " (row %d)" % (data[:start].count(b"\n") + 1) if isinstance(start, int) else ""
        raise BackpropError("%s: %s is not UTF-8 text%s" % (op, path, where))


def lines(text, source, width):
    """(row number, line) of the non-blank lines of ``text``, one at a time (never
    a list of them all), refusing the row that takes the file past CSV_MAX_VALUES
    fields (``width`` fields a row)."""
    most, start, k, count, n = max(1, CSV_MAX_VALUES // max(1, width)), 0, 0, 0, len(text)
    while start <= n:
        end = text.find("\n", start)
        end = n if end < 0 else end
        k += 1
        line = text[start:end].rstrip("\r")
        start = end + 1
        if line.strip():
            count += 1
            if count > most + 1:  # the header and CSV_MAX_VALUES fields
                raise BackpropError("%s: more than %d rows of %d fields: a CSV file may hold at most %d fields "
                                    "(pure Python trains on thousands of rows, not millions)"
                                    % (source, most, width, CSV_MAX_VALUES))
            yield k, line


def header(text, source):
    """(row, line) of the header, the first non-blank line: at most CSV_MAX_COLUMNS names."""
    k, line = next(lines(text, source, 1), (None, None))
    if line is not None and line.count(",") >= CSV_MAX_COLUMNS:
        raise BackpropError("%s row %d: the header names %d columns; a CSV file may have at most %d"
                            % (source, k, line.count(",") + 1, CSV_MAX_COLUMNS))
    return k, line
