package cqlsh

import (
	"bufio"
	"io"
	"strings"
)

// dialect is a Python csv dialect as COPY configures it: QUOTE_MINIMAL,
// "\r\n" line ends, and an escape character unless QUOTE equals ESCAPE
// (then quotes are doubled).
type dialect struct {
	delimiter   rune
	quote       rune
	escape      rune // 0 when doubleQuote
	doubleQuote bool
}

// writeRow writes one record as Python's csv.writer does.
func (d dialect) writeRow(w io.Writer, fields []string) error {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteRune(d.delimiter)
		}
		quoted := false
		var body strings.Builder
		for _, c := range f {
			switch {
			case c == d.quote:
				if d.doubleQuote {
					body.WriteRune(c)
					quoted = true
				} else if d.escape != 0 {
					body.WriteRune(d.escape)
				}
			case d.escape != 0 && c == d.escape:
				body.WriteRune(d.escape)
			case c == d.delimiter || c == '\r' || c == '\n':
				quoted = true
			}
			body.WriteRune(c)
		}
		if len(fields) == 1 && f == "" {
			quoted = true
		}
		if quoted {
			b.WriteRune(d.quote)
			b.WriteString(body.String())
			b.WriteRune(d.quote)
		} else {
			b.WriteString(body.String())
		}
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// csvReader reads records as Python's csv.reader does with a dialect
// (not strict: a quote in the middle of a field is kept).
type csvReader struct {
	r *bufio.Reader
	d dialect
}

// read returns the next record; io.EOF at the end.
func (cr *csvReader) read() ([]string, error) {
	var (
		fields []string
		field  strings.Builder
		quoted bool // inside a quoted field
		any    bool // something was read for this record
	)
	for {
		c, _, err := cr.r.ReadRune()
		if err == io.EOF {
			if !any {
				return nil, io.EOF
			}
			return append(fields, field.String()), nil
		}
		if err != nil {
			return nil, err
		}
		any = true
		switch {
		case quoted:
			switch {
			case cr.d.escape != 0 && c == cr.d.escape:
				n, _, err := cr.r.ReadRune()
				if err == nil {
					field.WriteRune(n)
				}
			case c == cr.d.quote:
				n, _, err := cr.r.ReadRune()
				switch {
				case err != nil:
					quoted = false
				case cr.d.doubleQuote && n == cr.d.quote:
					field.WriteRune(n)
				default:
					quoted = false
					_ = cr.r.UnreadRune()
				}
			default:
				field.WriteRune(c)
			}
		case cr.d.escape != 0 && c == cr.d.escape:
			n, _, err := cr.r.ReadRune()
			if err == nil {
				field.WriteRune(n)
			}
		case c == cr.d.quote && field.Len() == 0:
			quoted = true
		case c == cr.d.delimiter:
			fields = append(fields, field.String())
			field.Reset()
		case c == '\n':
			return append(fields, field.String()), nil
		case c == '\r':
			if n, _, err := cr.r.ReadRune(); err == nil && n != '\n' {
				_ = cr.r.UnreadRune()
			}
			return append(fields, field.String()), nil
		default:
			field.WriteRune(c)
		}
	}
}
