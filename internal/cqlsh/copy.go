package cqlsh

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
	"gopkg.in/inf.v0"
)

// copyCmd is a parsed COPY statement.
type copyCmd struct {
	keyspace, table string
	columns         []string // nil: every column
	from            bool
	file            string // "" for STDIN or STDOUT
	opts            map[string]string
	optOrder        []string
}

// parseCopy reads COPY [ks.]table [(col, ...)] FROM|TO 'file'|STDIN|STDOUT
// [WITH opt = value [AND ...]].
func parseCopy(text string) (*copyCmd, bool) {
	t := tokens(text)
	c := &copyCmd{opts: map[string]string{}}
	i := 1
	name := func() (string, bool) {
		if i < len(t) && (t[i].kind == 'w' || t[i].kind == 'n') {
			i++
			return t[i-1].name(), true
		}
		return "", false
	}
	n, ok := name()
	if !ok {
		return nil, false
	}
	if i < len(t) && t[i].text == "." {
		i++
		c.keyspace = n
		if n, ok = name(); !ok {
			return nil, false
		}
	}
	c.table = n
	if i < len(t) && t[i].text == "(" {
		i++
		for {
			col, ok := name()
			if !ok {
				return nil, false
			}
			c.columns = append(c.columns, col)
			if i < len(t) && t[i].text == "," {
				i++
				continue
			}
			if i < len(t) && t[i].text == ")" {
				i++
				break
			}
			return nil, false
		}
	}
	if i >= len(t) || t[i].kind != 'w' {
		return nil, false
	}
	switch strings.ToUpper(t[i].text) {
	case "FROM":
		c.from = true
	case "TO":
	default:
		return nil, false
	}
	i++
	if i >= len(t) {
		return nil, false
	}
	switch {
	case t[i].kind == 's':
		c.file = t[i].value()
	case t[i].kind == 'w' && strings.EqualFold(t[i].text, "STDIN") && c.from,
		t[i].kind == 'w' && strings.EqualFold(t[i].text, "STDOUT") && !c.from:
	default:
		return nil, false
	}
	i++
	if i < len(t) {
		if !strings.EqualFold(t[i].text, "WITH") {
			return nil, false
		}
		i++
		for {
			if i+2 >= len(t) || t[i].kind != 'w' || t[i+1].text != "=" {
				return nil, false
			}
			key := strings.ToLower(t[i].text)
			v := t[i+2]
			val := v.text
			if v.kind == 's' {
				val = v.value()
			}
			if _, dup := c.opts[key]; !dup {
				c.optOrder = append(c.optOrder, key)
			}
			c.opts[key] = val
			i += 3
			if i == len(t) {
				break
			}
			if !strings.EqualFold(t[i].text, "AND") {
				return nil, false
			}
			i++
		}
	}
	return c, true
}

// copyOptions are COPY's options after parsing, with cqlsh's defaults.
type copyOptions struct {
	dialect                    dialect
	nullVal                    string
	header                     bool
	encoding                   string
	pageSize                   int
	maxAttempts                int
	timeFormat                 string
	floatPrecision, doublePrec int
	chunkSize                  int
	maxBatchSize, minBatchSize int
	reportFrequency            time.Duration
	decimalSep, thousandsSep   string
	boolStyle                  [2]string
	numProcesses               int
	beginToken, endToken       string
	maxRows, skipRows          int
	skipCols                   []string
	maxParseErrors             int
	maxInsertErrors            int
	errFile                    string
	rateFile                   string
	maxOutputSize              int
	ttl                        int
}

// copyOptionNames are the options COPY knows; others are refused as
// cqlsh refuses them.
var copyOptionNames = map[string]bool{
	"delimiter": true, "quote": true, "escape": true, "null": true, "header": true, "encoding": true,
	"maxrequests": true, "pagesize": true, "pagetimeout": true, "maxattempts": true, "datetimeformat": true,
	"chunksize": true, "ingestrate": true, "maxbatchsize": true, "minbatchsize": true, "reportfrequency": true,
	"decimalsep": true, "thousandssep": true, "boolstyle": true, "numprocesses": true, "begintoken": true,
	"endtoken": true, "maxrows": true, "skiprows": true, "skipcols": true, "maxparseerrors": true,
	"maxinserterrors": true, "errfile": true, "ratefile": true, "maxoutputsize": true, "ttl": true,
	"floatprecision": true, "doubleprecision": true, "preparedstatements": true, "configfile": true,
}

func (s *Shell) copyOptions(c *copyCmd) (*copyOptions, error) {
	get := func(k, def string) string {
		if v, ok := c.opts[k]; ok {
			return v
		}
		return def
	}
	num := func(k string, def int) (int, error) {
		v := get(k, strconv.Itoa(def))
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, fmt.Errorf("invalid literal for int() with base 10: '%s'", v)
		}
		return n, nil
	}
	o := &copyOptions{
		nullVal:    get("null", ""),
		header:     strings.EqualFold(get("header", ""), "true"),
		encoding:   get("encoding", "utf8"),
		timeFormat: get("datetimeformat", defaultTimeFormat),
		decimalSep: get("decimalsep", "."),
		errFile:    get("errfile", fmt.Sprintf("import_%s_%s.err", c.keyspace, c.table)),
		rateFile:   get("ratefile", ""),
		beginToken: get("begintoken", ""),
		endToken:   get("endtoken", ""),
	}
	o.thousandsSep = get("thousandssep", "")
	first := func(k, def string) (rune, error) {
		v := unescapeOption(get(k, def))
		r := []rune(v)
		if len(r) != 1 {
			return 0, fmt.Errorf("\"%s\" must be a 1-character string", k)
		}
		return r[0], nil
	}
	var err error
	if o.dialect.delimiter, err = first("delimiter", ","); err != nil {
		return nil, err
	}
	if o.dialect.quote, err = first("quote", `"`); err != nil {
		return nil, err
	}
	if o.dialect.escape, err = first("escape", `\`); err != nil {
		return nil, err
	}
	if o.dialect.quote == o.dialect.escape {
		o.dialect.doubleQuote, o.dialect.escape = true, 0
	}
	for _, p := range []struct {
		k   string
		def int
		dst *int
	}{
		{"pagesize", 1000, &o.pageSize}, {"maxattempts", 5, &o.maxAttempts}, {"chunksize", 5000, &o.chunkSize},
		{"maxbatchsize", 20, &o.maxBatchSize}, {"minbatchsize", 10, &o.minBatchSize},
		{"numprocesses", max(1, min(16, runtime.NumCPU()-1)), &o.numProcesses}, {"maxrows", -1, &o.maxRows},
		{"skiprows", 0, &o.skipRows}, {"maxparseerrors", -1, &o.maxParseErrors}, {"maxinserterrors", 1000, &o.maxInsertErrors},
		{"maxoutputsize", -1, &o.maxOutputSize}, {"ttl", -1, &o.ttl}, {"floatprecision", 5, &o.floatPrecision},
		{"doubleprecision", 12, &o.doublePrec},
	} {
		if *p.dst, err = num(p.k, p.def); err != nil {
			return nil, err
		}
	}
	freq, err := strconv.ParseFloat(get("reportfrequency", "0.25"), 64)
	if err != nil {
		return nil, fmt.Errorf("could not convert string to float: '%s'", get("reportfrequency", ""))
	}
	o.reportFrequency = time.Duration(freq * float64(time.Second))
	styles := strings.Split(get("boolstyle", "True, False"), ",")
	if len(styles) != 2 || strings.TrimSpace(styles[0]) == "" || strings.TrimSpace(styles[1]) == "" ||
		strings.TrimSpace(styles[0]) == strings.TrimSpace(styles[1]) {
		return nil, fmt.Errorf("Invalid boolean styles %s", get("boolstyle", ""))
	}
	o.boolStyle = [2]string{strings.TrimSpace(styles[0]), strings.TrimSpace(styles[1])}
	for _, c := range strings.Split(get("skipcols", ""), ",") {
		if c = strings.TrimSpace(c); c != "" {
			o.skipCols = append(o.skipCols, c)
		}
	}
	if o.chunkSize <= 0 || o.maxBatchSize <= 0 || o.pageSize <= 0 {
		return nil, errors.New("CHUNKSIZE, MAXBATCHSIZE and PAGESIZE must be positive")
	}
	return o, nil
}

// unescapeOption undoes the backslash escapes Python's string_escape
// decodes in option values ('\t' for a tab).
func unescapeOption(v string) string {
	if !strings.Contains(v, `\`) || v == `\` {
		return v
	}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(v, `"`, `\"`) + `"`); err == nil {
		return u
	}
	return v
}

// doCopy runs COPY TO and COPY FROM.
func (s *Shell) doCopy(ctx context.Context, text string) {
	c, ok := parseCopy(text)
	if !ok {
		s.improper(text)
		return
	}
	if c.keyspace == "" {
		c.keyspace = s.keyspace
		if c.keyspace == "" {
			s.printErr("Not in any keyspace.")
			return
		}
	}
	k, err := s.loadKeyspace(ctx, c.keyspace)
	if err != nil {
		s.printErr(errorText(err))
		return
	}
	var table *tableMeta
	if k != nil {
		for _, t := range k.tables {
			if t.name == c.table {
				table = t
			}
		}
	}
	if table == nil {
		if k == nil {
			s.printErr(fmt.Sprintf("Keyspace '%s' not found.", c.keyspace))
		} else {
			s.printErr(fmt.Sprintf("Column family '%s' not found", c.table))
		}
		return
	}
	if c.columns == nil {
		for _, col := range table.columns {
			c.columns = append(c.columns, col.name)
		}
	}
	var unknown []string
	for _, k := range c.optOrder {
		if !copyOptionNames[k] {
			unknown = append(unknown, k)
		}
	}
	dir := "TO"
	if c.from {
		dir = "FROM"
	}
	if len(unknown) > 0 {
		s.printErr(fmt.Sprintf("Unrecognized COPY %s options: %s", dir, strings.Join(unknown, ", ")))
		return
	}
	o, err := s.copyOptions(c)
	if err != nil {
		s.printErr(err.Error())
		return
	}
	msg := func(string) {}
	if c.file != "" || c.from {
		msg = func(m string) { fmt.Fprint(s.console, m) }
	}
	start := s.cfg.Now()
	msg(fmt.Sprintf("Using %d child processes\n", o.numProcesses))
	if len(c.optOrder) > 0 {
		var parts []string
		for _, k := range c.optOrder {
			parts = append(parts, fmt.Sprintf("'%s': '%s'", k, c.opts[k]))
		}
		msg(fmt.Sprintf("Reading options from the command line: {%s}\n", strings.Join(parts, ", ")))
	}
	if c.from {
		s.copyFrom(ctx, c, table, o, msg, start)
	} else {
		s.copyTo(ctx, c, table, o, msg, start)
	}
}

// rateMeter is copyutil's RateMeter: a progress line every
// REPORTFREQUENCY with the rows so far, the current rate (smoothed) and
// the average rate.
type rateMeter struct {
	now        func() time.Time
	log        func(string)
	rateFile   string
	every      time.Duration
	start      time.Time
	last       time.Time
	rate       float64
	current    int
	total      int
	extra      func() string // appended to the line (COPY FROM's ETA at a terminal)
	lineEnding string
}

func newRateMeter(now func() time.Time, log func(string), every time.Duration, rateFile string) *rateMeter {
	t := now()
	if rateFile != "" {
		_ = os.Remove(rateFile)
	}
	return &rateMeter{now: now, log: log, rateFile: rateFile, every: every, start: t, last: t}
}

func (m *rateMeter) increment(n int) {
	m.current += n
	if t := m.now(); t.Sub(m.last) >= m.every {
		m.update(t)
		m.message()
	}
}

func (m *rateMeter) update(t time.Time) {
	if d := t.Sub(m.last).Seconds(); d >= 1e-9 {
		r := float64(m.current) / d
		if m.rate == 0 {
			m.rate = r
		} else {
			m.rate = (m.rate + r) / 2
		}
	}
	m.last = t
	m.total += m.current
	m.current = 0
}

func (m *rateMeter) message() {
	avg := 0.0
	if d := m.now().Sub(m.start).Seconds(); d >= 1e-9 {
		avg = float64(m.total) / d
	}
	line := fmt.Sprintf("Processed: %d rows; Rate: %7.0f rows/s; Avg. rate: %7.0f rows/s", m.total, m.rate, avg)
	if m.extra != nil {
		line += m.extra()
	}
	m.log(line + "\r\r")
	if m.rateFile != "" {
		if f, err := os.OpenFile(m.rateFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintln(f, line+"\r")
			_ = f.Close()
		}
	}
}

// finish is get_total_records: a last update and progress line.
func (m *rateMeter) finish() int {
	m.update(m.now())
	m.message()
	return m.total
}

// describeInterval is CopyTask.describe_interval.
func describeInterval(d time.Duration) string {
	seconds := d.Seconds()
	var desc []string
	for _, u := range []struct {
		length float64
		unit   string
	}{{86400, "day"}, {3600, "hour"}, {60, "minute"}} {
		n := int(seconds / u.length)
		if n > 0 {
			p := fmt.Sprintf("%d %s", n, u.unit)
			if n > 1 {
				p += "s"
			}
			desc = append(desc, p)
		}
		seconds -= float64(n) * u.length
	}
	words := fmt.Sprintf("%.03f seconds", seconds)
	switch {
	case len(desc) > 1:
		return strings.Join(desc, ", ") + ", and " + words
	case len(desc) == 1:
		return desc[0] + " and " + words
	}
	return words
}

// copyTo exports the table as CSV.
func (s *Shell) copyTo(ctx context.Context, c *copyCmd, table *tableMeta, o *copyOptions, msg func(string), start time.Time) {
	var out io.Writer = s.out
	files := 0
	var f *os.File
	openFile := func(name string) bool {
		var err error
		f, err = os.Create(name)
		if err != nil {
			s.printErr(fmt.Sprintf("Can't open '%s' for writing: %s", name, ioErrorText(name, err)))
			return false
		}
		files++
		out = bufio.NewWriter(f)
		return true
	}
	closeFile := func() {
		if f != nil {
			_ = out.(*bufio.Writer).Flush()
			_ = f.Close()
			f = nil
		}
	}
	name := filepath.Clean(expandUser(c.file))
	if c.file != "" {
		if !openFile(name) {
			return
		}
	}
	defer closeFile()
	if o.header {
		_ = o.dialect.writeRow(out, c.columns)
	}
	msg(fmt.Sprintf("\nStarting copy of %s.%s with columns [%s].\n", c.keyspace, c.table, strings.Join(c.columns, ", ")))

	stmt := fmt.Sprintf("SELECT %s FROM %s.%s", joinProtected(c.columns), protectName(c.keyspace), protectName(c.table))
	var where []string
	pk := joinNames(table.partition)
	if o.beginToken != "" {
		where = append(where, fmt.Sprintf("token(%s) > %s", pk, o.beginToken))
	}
	if o.endToken != "" {
		where = append(where, fmt.Sprintf("token(%s) <= %s", pk, o.endToken))
	}
	if len(where) > 0 {
		stmt += " WHERE " + strings.Join(where, " AND ")
	}
	f2 := newFormatter(false)
	f2.nullVal = o.nullVal
	f2.floatPrecision, f2.doublePrecision = o.floatPrecision, o.doublePrec
	f2.decimalSep, f2.thousandsSep = o.decimalSep, o.thousandsSep
	if f2.decimalSep == "." {
		f2.decimalSep = ""
	}
	f2.boolStyle = o.boolStyle
	f2.timeFormat = o.timeFormat
	meter := newRateMeter(s.cfg.Now, msg, o.reportFrequency, o.rateFile)
	it := s.gs.Query(stmt).WithContext(ctx).Consistency(s.consistency).PageSize(o.pageSize).Iter()
	cols := it.Columns()
	written := 0
	for {
		rows, more := readRows(it, cols, true)
		for _, r := range rows {
			fields := make([]string, len(r))
			for i, v := range r {
				fields[i] = f2.csvValue(v)
			}
			if c.file != "" && o.maxOutputSize > 0 && written == o.maxOutputSize {
				closeFile()
				if !openFile(fmt.Sprintf("%s.%d", name, files)) {
					_ = it.Close()
					return
				}
				written = 0
			}
			_ = o.dialect.writeRow(out, fields)
			written++
		}
		meter.increment(len(rows))
		if !more || ctx.Err() != nil {
			break
		}
	}
	if err := it.Close(); err != nil {
		s.printErr(errorText(err))
		return
	}
	if w, ok := out.(*bufio.Writer); ok {
		_ = w.Flush()
	}
	total := meter.finish()
	msg(fmt.Sprintf("\n%d rows exported to %d files in %s.\n", total, files, describeInterval(s.cfg.Now().Sub(start))))
}

// csvValue formats a value for COPY TO: as shown in results, but not
// quoted, with the null placeholder, and timestamps to the millisecond.
func (f *formatter) csvValue(c cell) string {
	if c.data == nil {
		return f.nullVal
	}
	if c.info.Type() == gocql.TypeTimestamp && len(c.data) == 8 {
		return roundMicroseconds(f.value(c).text)
	}
	return f.value(c).text
}

var microsRE = regexp.MustCompile(`^(.*)\.(\d{1,6})(.*)$`)

// roundMicroseconds is copyutil's round_microseconds: the fraction of a
// timestamp cut to milliseconds, which Cassandra's timestamp parser reads.
func roundMicroseconds(v string) string {
	m := microsRE.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	frac := m[2]
	n, _ := strconv.Atoi(frac)
	for i := len(frac); i < 3; i++ {
		n *= 10
	}
	for i := len(frac); i > 3; i-- {
		n /= 10
	}
	return fmt.Sprintf("%s.%03d%s", m[1], n, m[3])
}

func joinProtected(names []string) string {
	return strings.Join(protectNames(names), ", ")
}

// copyFrom imports CSV into the table.
func (s *Shell) copyFrom(ctx context.Context, c *copyCmd, table *tableMeta, o *copyOptions, msg func(string), start time.Time) {
	skip := map[string]bool{}
	for _, col := range o.skipCols {
		skip[col] = true
	}
	var valid []string
	for _, col := range c.columns {
		if !skip[col] {
			valid = append(valid, col)
		}
	}
	if len(valid) == 0 {
		s.printErr("No column specified")
		return
	}
	inValid := map[string]bool{}
	for _, col := range valid {
		inValid[col] = true
	}
	for _, pk := range append(append([]*colMeta{}, table.partition...), table.clustering...) {
		if !inValid[pk.name] {
			s.printErr(fmt.Sprintf("Primary key column '%s' missing or skipped", pk.name))
			return
		}
	}
	msg(fmt.Sprintf("\nStarting copy of %s.%s with columns [%s].\n", c.keyspace, c.table, strings.Join(valid, ", ")))

	it := s.gs.Query(fmt.Sprintf("SELECT %s FROM %s.%s LIMIT 1", joinProtected(valid), protectName(c.keyspace), protectName(c.table))).
		WithContext(ctx).Consistency(gocql.One).Iter()
	types := it.Columns()
	if err := it.Close(); err != nil {
		s.printErr(errorText(err))
		return
	}
	imp := &importer{s: s, c: c, o: o, table: table, valid: valid, types: types, msg: msg}
	imp.prepare()

	// Sources: files (comma-separated, globs allowed) or STDIN.
	var sources []string
	if c.file == "" {
		msg("[Use \\. on a line by itself to end input]\n")
		sources = []string{""}
	} else {
		for _, p := range strings.Split(c.file, ",") {
			p = filepath.Clean(expandUser(strings.TrimSpace(p)))
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				sources = append(sources, p)
				continue
			}
			matches, _ := filepath.Glob(p)
			if len(matches) == 0 {
				s.printErr(fmt.Sprintf("Can't open '%s' for reading: %s", p, ioErrorText(p, os.ErrNotExist)))
			}
			sources = append(sources, matches...)
		}
	}
	meter := newRateMeter(s.cfg.Now, msg, o.reportFrequency, o.rateFile)
	imp.meter = meter
	read, files := 0, 0
	stopped := false
	for _, src := range sources {
		if stopped {
			break
		}
		var r io.Reader
		if src == "" {
			r = &stdinCSV{s: s}
		} else {
			fh, err := os.Open(src)
			if err != nil {
				s.printErr(fmt.Sprintf("Can't open '%s' for reading: %s", src, ioErrorText(src, err)))
				continue
			}
			defer fh.Close()
			files++
			r = fh
			if st, err := fh.Stat(); err == nil && s.cfg.Interactive {
				imp.size, imp.counter = st.Size(), &countingReader{r: fh}
				r = imp.counter
				meter.extra = imp.eta
			}
		}
		cr := &csvReader{r: bufio.NewReader(r), d: o.dialect}
		if o.header {
			if _, err := cr.read(); err != nil {
				continue
			}
		}
		for !stopped {
			rec, err := cr.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				s.printErr(err.Error())
				break
			}
			read++
			if o.maxRows >= 0 && read > o.maxRows {
				break
			}
			if read <= o.skipRows || (len(rec) == 1 && rec[0] == "") {
				continue
			}
			imp.add(ctx, rec)
			if imp.exceeded() || ctx.Err() != nil {
				stopped = true
			}
		}
	}
	if !stopped {
		imp.flush(ctx)
	}
	if imp.failedRows > 0 {
		s.printErr(fmt.Sprintf("Failed to process %d rows; failed rows written to %s", imp.failedRows, o.errFile))
	}
	total := meter.finish()
	msg(fmt.Sprintf("\n%d rows imported from %d files in %s (%d skipped).\n", total, files, describeInterval(s.cfg.Now().Sub(start)), o.skipRows))
}

// stdinCSV reads COPY FROM STDIN's lines until a line holding "\.".
type stdinCSV struct {
	s    *Shell
	buf  []byte
	done bool
}

func (r *stdinCSV) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		line, err := r.s.readInput("[copy] ")
		if err != nil || strings.TrimRight(line, "\r\n") == `\.` {
			r.done = true
			continue
		}
		if !strings.HasSuffix(line, "\n") {
			line += "\n"
		}
		r.buf = []byte(line)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// importer batches converted rows into UNLOGGED batches of prepared
// INSERTs (counter tables: COUNTER batches of UPDATEs), as copyutil's
// ImportProcess does.
type importer struct {
	s          *Shell
	c          *copyCmd
	o          *copyOptions
	table      *tableMeta
	valid      []string
	types      []gocql.ColumnInfo
	msg        func(string)
	meter      *rateMeter
	insert     string
	counter    *countingReader
	size       int64
	isCounter  bool
	hasTuple   bool
	pkIndex    []int
	pending    [][]string
	parseErrs  int
	insertErrs int
	failedRows int
}

func (imp *importer) prepare() {
	marks := make([]string, len(imp.valid))
	for i := range marks {
		marks[i] = "?"
	}
	imp.insert = fmt.Sprintf("INSERT INTO %s.%s (%s) VALUES (%s)", protectName(imp.c.keyspace), protectName(imp.c.table),
		joinProtected(imp.valid), strings.Join(marks, ", "))
	if imp.o.ttl >= 0 {
		imp.insert += fmt.Sprintf(" USING TTL %d", imp.o.ttl)
	}
	for _, col := range imp.table.columns {
		if col.typ == "counter" {
			imp.isCounter = true
		}
	}
	for _, t := range imp.types {
		if _, ok := t.TypeInfo.(gocql.TupleTypeInfo); ok {
			imp.hasTuple = true
		}
	}
	key := map[string]bool{}
	for _, c := range append(append([]*colMeta{}, imp.table.partition...), imp.table.clustering...) {
		key[c.name] = true
	}
	for i, c := range imp.valid {
		if key[c] {
			imp.pkIndex = append(imp.pkIndex, i)
		}
	}
}

// insertFor returns the INSERT for one row and its bound values. gocql
// 2.1.2 miscounts the bind markers of top-level tuple columns in batches,
// so those values are written into the statement as CQL literals (the
// CSV text of a tuple is one: cqlsh writes tuples as CQL writes them).
func (imp *importer) insertFor(raw []string, args []any) (string, []any) {
	if !imp.hasTuple {
		return imp.insert, args
	}
	marks := make([]string, len(imp.valid))
	var bound []any
	for i := range imp.valid {
		if _, ok := imp.types[i].TypeInfo.(gocql.TupleTypeInfo); ok {
			if args[i] == null {
				marks[i] = "null"
			} else {
				marks[i] = tupleLiteral(raw[i])
			}
			continue
		}
		marks[i] = "?"
		bound = append(bound, args[i])
	}
	stmt := fmt.Sprintf("INSERT INTO %s.%s (%s) VALUES (%s)", protectName(imp.c.keyspace), protectName(imp.c.table),
		joinProtected(imp.valid), strings.Join(marks, ", "))
	if imp.o.ttl >= 0 {
		stmt += fmt.Sprintf(" USING TTL %d", imp.o.ttl)
	}
	return stmt, bound
}

// tupleLiteral makes cqlsh's text of a tuple a CQL literal: its None
// elements become null.
func tupleLiteral(v string) string {
	v = strings.TrimSpace(v)
	parts := splitLiteral(v, ',')
	for i, p := range parts {
		if strings.TrimSpace(p) == "None" {
			parts[i] = "null"
		}
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// eta estimates the time left from the bytes of the file read so far.
func (imp *importer) eta() string {
	if imp.counter == nil || imp.size == 0 || imp.counter.n == 0 {
		return ""
	}
	elapsed := imp.s.cfg.Now().Sub(imp.meter.start)
	left := time.Duration(float64(elapsed) * float64(imp.size-imp.counter.n) / float64(imp.counter.n))
	return fmt.Sprintf("; ETA: %s", left.Round(time.Second))
}

func (imp *importer) add(ctx context.Context, rec []string) {
	imp.pending = append(imp.pending, rec)
	if len(imp.pending) >= imp.o.chunkSize {
		imp.flush(ctx)
	}
}

func (imp *importer) exceeded() bool {
	if imp.o.maxInsertErrors >= 0 && imp.insertErrs > imp.o.maxInsertErrors {
		imp.s.printErr(fmt.Sprintf("Exceeded maximum number of insert errors %d", imp.o.maxInsertErrors))
		return true
	}
	if imp.o.maxParseErrors >= 0 && imp.parseErrs > imp.o.maxParseErrors {
		imp.s.printErr(fmt.Sprintf("Exceeded maximum number of parse errors %d", imp.o.maxParseErrors))
		return true
	}
	return false
}

// flush converts the pending rows and sends them in batches.
func (imp *importer) flush(ctx context.Context) {
	rows := imp.pending
	imp.pending = nil
	skipIdx := map[int]bool{}
	for i, c := range imp.c.columns {
		for _, sc := range imp.o.skipCols {
			if c == sc {
				skipIdx[i] = true
			}
		}
	}
	type good struct {
		raw  []string
		args []any
	}
	var goods []good
	errs := map[string][][]string{}
	var errOrder []string
	for _, r := range rows {
		if len(skipIdx) > 0 {
			var kept []string
			for i, v := range r {
				if !skipIdx[i] {
					kept = append(kept, v)
				}
			}
			r = kept
		}
		if len(r) != len(imp.valid) {
			m := fmt.Sprintf("Invalid row length %d should be %d", len(r), len(imp.valid))
			if _, ok := errs[m]; !ok {
				errOrder = append(errOrder, m)
			}
			errs[m] = append(errs[m], r)
			continue
		}
		args, err := imp.convertRow(r)
		if err != nil {
			m := err.Error()
			if _, ok := errs[m]; !ok {
				errOrder = append(errOrder, m)
			}
			errs[m] = append(errs[m], r)
			continue
		}
		goods = append(goods, good{r, args})
	}
	for _, m := range errOrder {
		bad := errs[m]
		imp.parseErrs += len(bad)
		imp.fail(bad)
		imp.s.printErr(fmt.Sprintf("Failed to import %d rows: ParseError - %s -  given up without retries", len(bad), m))
	}
	for i := 0; i < len(goods); i += imp.o.maxBatchSize {
		end := min(i+imp.o.maxBatchSize, len(goods))
		chunk := goods[i:end]
		var raws [][]string
		var argss [][]any
		for _, g := range chunk {
			raws = append(raws, g.raw)
			argss = append(argss, g.args)
		}
		imp.send(ctx, raws, argss)
		if ctx.Err() != nil {
			return
		}
	}
}

// send runs one batch, retrying up to MAXATTEMPTS.
func (imp *importer) send(ctx context.Context, raws [][]string, argss [][]any) {
	for attempt := 1; ; attempt++ {
		var err error
		if imp.isCounter {
			b := imp.s.gs.Batch(gocql.CounterBatch).WithContext(ctx)
			b.SetConsistency(imp.s.consistency)
			for _, r := range raws {
				b.Query(imp.counterUpdate(r))
			}
			err = b.Exec()
		} else {
			b := imp.s.gs.Batch(gocql.UnloggedBatch).WithContext(ctx)
			b.SetConsistency(imp.s.consistency)
			for k, a := range argss {
				stmt, args := imp.insertFor(raws[k], a)
				b.Query(stmt, args...)
			}
			err = b.Exec()
		}
		if err == nil {
			imp.meter.increment(len(raws))
			return
		}
		if ctx.Err() != nil {
			return
		}
		imp.insertErrs += len(raws)
		kind, text := errorKind(err)
		if attempt < imp.o.maxAttempts {
			imp.s.printErr(fmt.Sprintf("Failed to import %d rows: %s - %s -  will retry later, attempt %d of %d",
				len(raws), kind, text, attempt, imp.o.maxAttempts))
			continue
		}
		imp.fail(raws)
		imp.s.printErr(fmt.Sprintf("Failed to import %d rows: %s - %s -  given up after %d attempts", len(raws), kind, text, attempt))
		return
	}
}

// errorKind splits errorText into the exception name and its message.
func errorKind(err error) (string, string) {
	t := errorText(err)
	if k, rest, ok := strings.Cut(t, ": "); ok && !strings.Contains(k, " ") {
		return k, rest
	}
	return "Error", t
}

// fail appends rows to ERRFILE.
func (imp *importer) fail(rows [][]string) {
	imp.failedRows += len(rows)
	f, err := os.OpenFile(imp.o.errFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	for _, r := range rows {
		_ = imp.o.dialect.writeRow(f, r)
	}
}

// counterUpdate is copyutil's counter UPDATE, values as written.
func (imp *importer) counterUpdate(r []string) string {
	var set, where []string
	isKey := map[int]bool{}
	for _, i := range imp.pkIndex {
		isKey[i] = true
	}
	for i, v := range r {
		name := protectName(imp.valid[i])
		if isKey[i] {
			where = append(where, fmt.Sprintf("%s=%s", name, v))
		} else {
			set = append(set, fmt.Sprintf("%s=%s+%s", name, name, v))
		}
	}
	return fmt.Sprintf("UPDATE %s.%s SET %s WHERE %s", protectName(imp.c.keyspace), protectName(imp.c.table),
		strings.Join(set, ","), strings.Join(where, " AND "))
}

// convertRow turns CSV fields into values for the INSERT, as
// ImportConversion.get_row_values: the null placeholder becomes null
// (refused for key columns), the rest is parsed by column type.
func (imp *importer) convertRow(r []string) ([]any, error) {
	var args []any
	isKey := map[int]bool{}
	for _, i := range imp.pkIndex {
		isKey[i] = true
	}
	for i, v := range r {
		info := imp.types[i].TypeInfo
		if v == imp.o.nullVal {
			if isKey[i] {
				m := fmt.Sprintf("Cannot insert null value for primary key column '%s'.", imp.valid[i])
				if imp.o.nullVal == "" {
					m += " If you want to insert empty strings, consider using the WITH NULL=<marker> option for COPY."
				}
				return nil, errors.New(m)
			}
			args = append(args, null)
			continue
		}
		val, err := imp.convert(info, v)
		if err != nil {
			return nil, err
		}
		args = append(args, val)
	}
	return args, nil
}

// null is bound for null values: gocql writes a nil pointer of any type
// as null (an untyped nil it refuses for some types, user types among
// them).
var null = (*struct{})(nil)

// dequote is CqlRuleSet.dequote_value: a quoted string's content.
func dequote(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return v
}

// splitLiteral is copyutil's split: the elements of a bracketed literal,
// split at sep outside nested brackets and quotes.
func splitLiteral(v string, sep byte) []string {
	var out []string
	last, level, quote := 1, 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '{' || c == '[' || c == '(':
			level++
		case c == '}' || c == ']' || c == ')':
			level--
		case c == '\'':
			quote = !quote
		case c == sep && level == 1 && !quote:
			out = append(out, v[last:i])
			last = i + 1
		}
	}
	if last < len(v)-1 {
		out = append(out, v[last:len(v)-1])
	}
	return out
}

// convert parses a CSV field (or an element of a collection literal) into
// a value gocql marshals as info.
func (imp *importer) convert(info gocql.TypeInfo, v string) (any, error) {
	v = dequote(strings.TrimSpace(v))
	o := imp.o
	plainNum := func(s string) string {
		if o.thousandsSep != "" {
			s = strings.ReplaceAll(s, o.thousandsSep, "")
		}
		if o.decimalSep != "" && o.decimalSep != "." {
			s = strings.ReplaceAll(s, o.decimalSep, ".")
		}
		return s
	}
	bad := func(kind string) error {
		return fmt.Errorf("invalid literal for %s: '%s'", kind, v)
	}
	switch info.Type() {
	case gocql.TypeAscii, gocql.TypeText, gocql.TypeVarchar:
		return v, nil
	case gocql.TypeBlob:
		b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(v, "0x"), "0X"))
		if err != nil {
			return nil, fmt.Errorf("Non-hexadecimal digit found")
		}
		return b, nil
	case gocql.TypeBoolean:
		return strings.EqualFold(v, o.boolStyle[0]), nil
	case gocql.TypeInt, gocql.TypeSmallInt, gocql.TypeTinyInt, gocql.TypeBigInt, gocql.TypeCounter:
		n, err := strconv.ParseInt(plainNum(v), 10, 64)
		if err != nil {
			return nil, bad("int() with base 10")
		}
		return n, nil
	case gocql.TypeVarint:
		n, ok := new(big.Int).SetString(plainNum(v), 10)
		if !ok {
			return nil, bad("int() with base 10")
		}
		return n, nil
	case gocql.TypeFloat, gocql.TypeDouble:
		f, err := strconv.ParseFloat(plainNum(v), 64)
		if err != nil {
			return nil, fmt.Errorf("could not convert string to float: '%s'", v)
		}
		if info.Type() == gocql.TypeFloat {
			return float32(f), nil
		}
		return f, nil
	case gocql.TypeDecimal:
		d, ok := parseDecimal(plainNum(v))
		if !ok {
			return nil, fmt.Errorf("[<class 'decimal.ConversionSyntax'>]")
		}
		return d, nil
	case gocql.TypeUUID, gocql.TypeTimeUUID:
		u, err := gocql.ParseUUID(v)
		if err != nil {
			return nil, errors.New("badly formed hexadecimal UUID string")
		}
		return u, nil
	case gocql.TypeInet:
		ip := net.ParseIP(v)
		if ip == nil {
			return nil, fmt.Errorf("illegal IP address string: '%s'", v)
		}
		return ip, nil
	case gocql.TypeTimestamp:
		return parseTimestamp(v, o.timeFormat)
	case gocql.TypeDate:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.Unix(n*86400, 0).UTC(), nil
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return nil, fmt.Errorf("Could not parse date string: '%s'", v)
		}
		return t, nil
	case gocql.TypeTime:
		return parseTime(v)
	case gocql.TypeDuration:
		return parseDuration(v)
	case gocql.TypeList, gocql.TypeSet:
		ct := info.(gocql.CollectionType)
		var out []any
		for _, e := range splitLiteral(v, ',') {
			x, err := imp.convert(ct.Elem, e)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case gocql.TypeMap:
		ct := info.(gocql.CollectionType)
		out := map[any]any{}
		for _, e := range splitLiteral(v, ',') {
			kv := splitLiteral("{"+e+"}", ':')
			if len(kv) != 2 {
				return nil, fmt.Errorf("bad map entry: '%s'", e)
			}
			k, err := imp.convert(ct.Key, kv[0])
			if err != nil {
				return nil, err
			}
			if b, ok := k.([]byte); ok {
				k = string(b) // map keys must be comparable
			}
			val, err := imp.convert(ct.Elem, kv[1])
			if err != nil {
				return nil, err
			}
			out[k] = val
		}
		return out, nil
	case gocql.TypeTuple:
		tt := info.(gocql.TupleTypeInfo)
		parts := splitLiteral(v, ',')
		out := make([]any, len(tt.Elems))
		for i := range tt.Elems {
			if i >= len(parts) || strings.TrimSpace(parts[i]) == "null" {
				continue
			}
			x, err := imp.convert(tt.Elems[i], parts[i])
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case gocql.TypeUDT:
		ut := info.(gocql.UDTTypeInfo)
		out := map[string]any{}
		for _, e := range splitLiteral(v, ',') {
			kv := splitLiteral("{"+e+"}", ':')
			if len(kv) != 2 {
				return nil, fmt.Errorf("bad field: '%s'", e)
			}
			name := dequote(strings.TrimSpace(kv[0]))
			for _, f := range ut.Elements {
				if f.Name == name {
					if strings.TrimSpace(kv[1]) == "null" {
						out[name] = nil
						break
					}
					x, err := imp.convert(f.Type, kv[1])
					if err != nil {
						return nil, err
					}
					out[name] = x
				}
			}
		}
		return out, nil
	}
	return v, nil
}

var cqlTimestampRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})\s?(?:'T')?(?:(\d{2}):(\d{2})(?::(\d{2}))?)?(?:([+\-])(\d{2}):?(\d{2}))?`)

// parseTimestamp is copyutil's convert_datetime: the DATETIMEFORMAT
// first (with milliseconds, as COPY TO writes them), then the CQL forms.
func parseTimestamp(v, format string) (time.Time, error) {
	if t, ok := strptime(v, format); ok {
		return t, nil
	}
	m := cqlTimestampRE.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, fmt.Errorf("can't interpret '%s' as a date with this format: %s", v, format)
	}
	n := func(s string) int {
		x, _ := strconv.Atoi(s)
		return x
	}
	t := time.Date(n(m[1]), time.Month(n(m[2])), n(m[3]), n(m[4]), n(m[5]), n(m[6]), 0, time.UTC)
	if m[7] != "" {
		off := time.Duration(n(m[8]))*time.Hour + time.Duration(n(m[9]))*time.Minute
		if m[7] == "+" {
			t = t.Add(-off)
		} else {
			t = t.Add(off)
		}
	}
	return t, nil
}

// strptime parses v with the strftime directives formatter.strftime
// writes (%Y %m %d %H %M %S %f %z and literal text).
func strptime(v, format string) (time.Time, bool) {
	year, month, day, hour, minute, sec, nsec, off := 1900, 1, 1, 0, 0, 0, 0, 0
	i := 0
	digits := func(max int) (int, bool) {
		j := i
		for j < len(v) && j-i < max && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j == i {
			return 0, false
		}
		n, _ := strconv.Atoi(v[i:j])
		i = j
		return n, true
	}
	for k := 0; k < len(format); k++ {
		c := format[k]
		if c != '%' || k+1 == len(format) {
			if i >= len(v) || v[i] != c {
				return time.Time{}, false
			}
			i++
			continue
		}
		k++
		var ok bool
		switch format[k] {
		case 'Y':
			year, ok = digits(4)
		case 'm':
			month, ok = digits(2)
		case 'd':
			day, ok = digits(2)
		case 'H':
			hour, ok = digits(2)
		case 'M':
			minute, ok = digits(2)
		case 'S':
			sec, ok = digits(2)
		case 'f':
			j := i
			var n int
			n, ok = digits(6)
			for w := i - j; w < 9; w++ {
				n *= 10
			}
			nsec = n
		case 'z':
			if i < len(v) && (v[i] == '+' || v[i] == '-') {
				sign := 1
				if v[i] == '-' {
					sign = -1
				}
				i++
				var hh, mm int
				if hh, ok = digits(2); ok {
					mm, ok = digits(2)
				}
				off = sign * (hh*3600 + mm*60)
			}
		case '%':
			ok = i < len(v) && v[i] == '%'
			i++
		default:
			return time.Time{}, false
		}
		if !ok {
			return time.Time{}, false
		}
	}
	if i != len(v) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC).Add(-time.Duration(off) * time.Second), true
}

// parseTime reads HH:MM:SS[.fffffffff] as the driver's Time.
func parseTime(v string) (time.Duration, error) {
	var h, m, s int
	frac := ""
	main, f, hasFrac := strings.Cut(v, ".")
	if hasFrac {
		frac = f
	}
	if _, err := fmt.Sscanf(main, "%d:%d:%d", &h, &m, &s); err != nil || len(frac) > 9 {
		return 0, fmt.Errorf("can't interpret '%s' as a time", v)
	}
	ns := 0
	if frac != "" {
		n, err := strconv.Atoi(frac)
		if err != nil {
			return 0, fmt.Errorf("can't interpret '%s' as a time", v)
		}
		for i := len(frac); i < 9; i++ {
			n *= 10
		}
		ns = n
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second + time.Duration(ns), nil
}

var durationUnitRE = regexp.MustCompile(`(?i)(\d+)(y|mo|w|d|h|m|s|ms|us|µs|ns)`)

// parseDuration reads the form cqlsh prints durations in (1y2mo3d4h...).
func parseDuration(v string) (gocql.Duration, error) {
	var d gocql.Duration
	neg := strings.HasPrefix(v, "-")
	rest := strings.TrimPrefix(v, "-")
	matches := durationUnitRE.FindAllStringSubmatchIndex(rest, -1)
	pos := 0
	for _, m := range matches {
		if m[0] != pos {
			return d, fmt.Errorf("can't interpret '%s' as a duration", v)
		}
		pos = m[1]
		n, _ := strconv.ParseInt(rest[m[2]:m[3]], 10, 64)
		switch strings.ToLower(rest[m[4]:m[5]]) {
		case "y":
			d.Months += int32(12 * n)
		case "mo":
			d.Months += int32(n)
		case "w":
			d.Days += int32(7 * n)
		case "d":
			d.Days += int32(n)
		case "h":
			d.Nanoseconds += n * int64(time.Hour)
		case "m":
			d.Nanoseconds += n * int64(time.Minute)
		case "s":
			d.Nanoseconds += n * int64(time.Second)
		case "ms":
			d.Nanoseconds += n * int64(time.Millisecond)
		case "us", "µs":
			d.Nanoseconds += n * int64(time.Microsecond)
		case "ns":
			d.Nanoseconds += n
		}
	}
	if pos != len(rest) || len(matches) == 0 {
		return d, fmt.Errorf("can't interpret '%s' as a duration", v)
	}
	if neg {
		d.Months, d.Days, d.Nanoseconds = -d.Months, -d.Days, -d.Nanoseconds
	}
	return d, nil
}

// parseDecimal reads a decimal as Python's Decimal does: digits with an
// optional point and exponent ("12.50", "1E+3", "-1.5e-7").
func parseDecimal(v string) (*inf.Dec, bool) {
	mant, exp := v, 0
	if i := strings.IndexAny(v, "eE"); i >= 0 {
		e, err := strconv.Atoi(v[i+1:])
		if err != nil {
			return nil, false
		}
		mant, exp = v[:i], e
	}
	d, ok := new(inf.Dec).SetString(mant)
	if !ok {
		return nil, false
	}
	return d.SetScale(d.Scale() - inf.Scale(exp)), true
}
