package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cassa-go/cassa/thrift/columnfamily"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// ErrQuit is returned by Exec for `quit` and `exit`.
var ErrQuit = errors.New("shell: quit")

// ErrNoKeyspace is returned by data commands before `use`.
var ErrNoKeyspace = errors.New("no keyspace selected: run 'use KEYSPACE' first")

// ErrNotConnected is returned by every command that needs a server when
// the shell has none (the last connect failed).
var ErrNotConnected = errors.New("not connected: run 'connect host:port' first")

// Config says where a Shell connects and as whom. Its zero value connects
// to localhost:9160 with no keyspace and no login.
type Config struct {
	// Servers are the "host:port" addresses to connect to (one pool over
	// all of them); empty means localhost:9160.
	Servers []string
	// Keyspace is used at start when not empty.
	Keyspace string
	// Username and Password are sent with login when Username is set.
	Username, Password string
	// Timeout bounds each RPC; zero means session's default.
	Timeout time.Duration
	// Now is the clock for timeuuid() and friends; nil means time.Now.
	Now func() time.Time
}

// cfInfo is what the shell knows of one column family: its definition and
// the codecs read from it.
type cfInfo struct {
	def     *tg.CfDef
	key     codec.Type            // key_validation_class
	super   codec.Type            // comparator of a super CF; nil if standard
	name    codec.Type            // comparator, or subcomparator of a super CF
	value   codec.Type            // default_validation_class
	cols    map[string]codec.Type // validators by packed column name
	counter bool
	handle  *columnfamily.ColumnFamily // opened on first use, raw packing
}

// Shell runs cassandra-cli style commands against one server: parsing,
// packing literals through the column family's types, calling session and
// migrate, and printing results. It is used by one goroutine at a time.
type Shell struct {
	cfg      Config
	out      io.Writer
	servers  []string
	keyspace string
	sys      *migrate.SystemManager // its own pool, no keyspace
	data     *pool.Pool             // pool on keyspace; nil before use
	schema   map[string]*cfInfo     // CFs of keyspace; nil when not loaded
	ksNames  []string               // keyspaces, for completion
	cl       cassa.Consistency      // consistencylevel; zero is ONE
	assumed  map[string]*assumption // assume, by column family
}

// New returns a Shell writing results to out and connects to cfg.Server
// (and cfg.Keyspace). A failure to connect is returned along with a usable
// Shell, so that an interactive user can `connect` elsewhere.
func New(ctx context.Context, cfg Config, out io.Writer) (*Shell, error) {
	s := &Shell{cfg: cfg, out: out}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	servers := cfg.Servers
	if len(servers) == 0 {
		servers = []string{"localhost:9160"}
	}
	err := s.connect(ctx, servers, cfg.Keyspace)
	return s, err
}

// Close closes the shell's connections.
func (s *Shell) Close(ctx context.Context) error {
	return s.disconnect(ctx)
}

// Server is the address the shell is connected to, servers joined by
// commas ("" when not connected).
func (s *Shell) Server() string { return strings.Join(s.servers, ",") }

// Keyspace is the current keyspace ("" when none).
func (s *Shell) Keyspace() string { return s.keyspace }

// Prompt is cassandra-cli's prompt: [user@keyspace].
func (s *Shell) Prompt() string {
	user := s.cfg.Username
	if user == "" {
		user = "default"
	}
	ks := s.keyspace
	if ks == "" {
		ks = "unknown"
	}
	return fmt.Sprintf("[%s@%s] ", user, ks)
}

func (s *Shell) poolConfig(servers []string, keyspace string) pool.Config {
	cfg := pool.Config{
		Servers:    servers,
		Keyspace:   keyspace,
		PoolSize:   1,
		MaxRetries: 1,
		Timeout:    s.cfg.Timeout,
	}
	if s.cfg.Username != "" {
		cfg.Credentials = pool.Credentials{"username": s.cfg.Username, "password": s.cfg.Password}
	}
	return cfg
}

// connect replaces the connections with ones to servers, then uses
// keyspace when it is not empty. If the servers cannot be reached the old
// connections are kept; if only the keyspace fails, the shell stays
// connected without one and the error is returned.
func (s *Shell) connect(ctx context.Context, servers []string, keyspace string) error {
	sys, err := migrate.Connect(ctx, s.poolConfig(servers, ""))
	if err != nil {
		return fmt.Errorf("connect to %s: %w", strings.Join(servers, ","), err)
	}
	_ = s.disconnect(ctx)
	s.sys, s.servers, s.keyspace, s.assumed = sys, servers, "", nil
	s.refreshKeyspaces(ctx)
	if keyspace == "" {
		return nil
	}
	return s.use(ctx, keyspace)
}

func (s *Shell) disconnect(ctx context.Context) error {
	var errs []error
	if s.data != nil {
		errs = append(errs, s.data.Close(ctx))
	}
	if s.sys != nil {
		errs = append(errs, s.sys.Close(ctx))
	}
	s.data, s.sys, s.schema, s.servers = nil, nil, nil, nil
	return errors.Join(errs...)
}

// use switches the keyspace, keeping the old one if the new fails.
func (s *Shell) use(ctx context.Context, keyspace string) error {
	if s.sys == nil {
		return ErrNotConnected
	}
	data, err := pool.Open(ctx, s.poolConfig(s.servers, keyspace))
	if err != nil {
		return err
	}
	if s.data != nil {
		_ = s.data.Close(ctx)
	}
	s.data, s.keyspace, s.schema, s.assumed = data, keyspace, nil, nil
	return s.loadSchema(ctx)
}

// refreshKeyspaces reloads the keyspace names for completion; failures
// only leave completion stale.
func (s *Shell) refreshKeyspaces(ctx context.Context) {
	if s.sys == nil {
		return
	}
	if names, err := s.sys.ListKeyspaces(ctx); err == nil {
		sort.Strings(names)
		s.ksNames = names
	}
}

// loadSchema reads the current keyspace's column families.
func (s *Shell) loadSchema(ctx context.Context) error {
	if s.keyspace == "" || s.sys == nil {
		s.schema = nil
		return nil
	}
	ks, err := s.sys.DescribeKeyspace(ctx, s.keyspace)
	if err != nil {
		return err
	}
	schema := make(map[string]*cfInfo, len(ks.CfDefs))
	for _, def := range ks.CfDefs {
		if def == nil {
			continue
		}
		info := newCFInfo(def)
		s.assumed[def.Name].apply(info)
		schema[def.Name] = info
	}
	s.schema = schema
	return nil
}

// newCFInfo reads the codecs of def; unknown classes fall back to
// BytesType so that the shell still shows the data.
func newCFInfo(def *tg.CfDef) *cfInfo {
	parse := func(class string) codec.Type {
		t, err := codec.Parse(class)
		if err != nil {
			return codec.Bytes
		}
		return t
	}
	info := &cfInfo{
		def:   def,
		key:   parse(deref(def.KeyValidationClass, "")),
		value: parse(deref(def.DefaultValidationClass, "")),
		cols:  map[string]codec.Type{},
	}
	if def.ColumnType == "Super" {
		info.super = parse(def.ComparatorType)
		info.name = parse(deref(def.SubcomparatorType, ""))
	} else {
		info.name = parse(def.ComparatorType)
	}
	info.counter = baseType(info.value).Class() == codec.CounterColumn.Class()
	for _, cd := range def.ColumnMetadata {
		if cd != nil {
			info.cols[string(cd.Name)] = parse(cd.ValidationClass)
		}
	}
	return info
}

// assumption holds what `assume` set for one column family; nil fields
// keep the schema's types.
type assumption struct {
	key, comparator, subcomparator, validator codec.Type
}

// apply puts the assumed types into info; a nil assumption does nothing.
func (a *assumption) apply(info *cfInfo) {
	if a == nil {
		return
	}
	if a.key != nil {
		info.key = a.key
	}
	if a.validator != nil {
		info.value = a.validator
	}
	switch {
	case info.super == nil && a.comparator != nil:
		info.name = a.comparator
	case info.super != nil && a.comparator != nil:
		info.super = a.comparator
	}
	if info.super != nil && a.subcomparator != nil {
		info.name = a.subcomparator
	}
}

// valueType is the validator of the column with packed name.
func (c *cfInfo) valueType(name []byte) codec.Type {
	if t, ok := c.cols[string(name)]; ok {
		return t
	}
	return c.value
}

// CFNames returns the column families of the current keyspace, sorted.
func (s *Shell) CFNames() []string {
	names := make([]string, 0, len(s.schema))
	for n := range s.schema {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// cf returns what the shell knows of the column family name, reloading the
// schema once if it is not known (another client may have created it).
func (s *Shell) cf(ctx context.Context, name string) (*cfInfo, error) {
	if s.sys == nil {
		return nil, ErrNotConnected
	}
	if s.keyspace == "" {
		return nil, ErrNoKeyspace
	}
	if info, ok := s.schema[name]; ok {
		return info, nil
	}
	if err := s.loadSchema(ctx); err != nil {
		return nil, err
	}
	if info, ok := s.schema[name]; ok {
		return info, nil
	}
	return nil, &cassa.UnknownTableError{Keyspace: s.keyspace, Table: name}
}

// handle opens the column family with packing switched off: the shell
// packs literals itself, through the same types.
func (s *Shell) handle(ctx context.Context, info *cfInfo) (*columnfamily.ColumnFamily, error) {
	if info.handle != nil {
		return info.handle, nil
	}
	opts := []columnfamily.Option{columnfamily.RawKeys(), columnfamily.RawNames(), columnfamily.RawValues(),
		columnfamily.ReadConsistency(s.cl), columnfamily.WriteConsistency(s.cl)}
	h, err := columnfamily.Open(ctx, s.data, info.def.Name, opts...)
	if err != nil {
		return nil, err
	}
	info.handle = h
	return h, nil
}

// ScriptError is the first failing statement of a script or -e string.
type ScriptError struct {
	Source string // file name, "-e" or "stdin"
	Line   int    // 1-based
	Text   string // the line
	Err    error
}

// Error reads "source:line: error".
func (e *ScriptError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.Source, e.Line, e.Err)
}

// Unwrap returns the statement's error.
func (e *ScriptError) Unwrap() error { return e.Err }

// Exec parses and runs every statement of line, stopping at the first
// error. Errors positioned in the text (*ParseError, *ValueError) have
// their offsets made relative to line. `quit` returns ErrQuit.
func (s *Shell) Exec(ctx context.Context, line string) error {
	for _, part := range SplitStatements(line) {
		if err := s.execPart(ctx, part); err != nil {
			return err
		}
	}
	return nil
}

// execPart parses and runs one statement of a line, with the positions of
// its errors made relative to the line.
func (s *Shell) execPart(ctx context.Context, part Part) error {
	st, err := Parse(part.Text)
	if err != nil {
		return offsetError(err, part.Offset)
	}
	return offsetError(s.Run(ctx, st), part.Offset)
}

func offsetError(err error, off int) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return &ParseError{Pos: pe.Pos + off, Msg: pe.Msg}
	}
	var ve *ValueError
	if errors.As(err, &ve) {
		c := *ve
		c.Lit.Pos += off
		return &c
	}
	return err
}

// RunScript runs r line by line. A statement may go on over several lines
// while brackets or quotes are open or a line ends in "with", "and" or ","
// (see Incomplete); its errors name the line it starts on. With
// stopOnError it stops at the first failing statement, a syntax error or
// any other, and returns a *ScriptError naming it; otherwise it reports
// each failure to errOut, runs the statements after it (those after it on
// the same line too), and returns the first failure at the end. Blank
// lines and lines starting with # or -- are skipped. `quit` ends the
// script without error.
func (s *Shell) RunScript(ctx context.Context, r io.Reader, source string, stopOnError bool, errOut io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var (
		first   error
		pending string // a statement still open
		start   int    // the line it started on
	)
	run := func(line string, n int) (stop bool) {
		for _, part := range SplitStatements(line) {
			err := s.execPart(ctx, part)
			if errors.Is(err, ErrQuit) {
				return true
			}
			if err == nil {
				continue
			}
			serr := &ScriptError{Source: source, Line: n, Text: line, Err: err}
			if first == nil {
				first = serr
			}
			if stopOnError {
				return true
			}
			fmt.Fprintln(errOut, FormatError(serr))
			if ctx.Err() != nil {
				return true
			}
		}
		return false
	}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if pending == "" {
			if skipLine(line) {
				continue
			}
			start = n
		} else {
			line = pending + " " + strings.TrimSpace(line)
		}
		if Incomplete(line) {
			pending = line
			continue
		}
		pending = ""
		if run(line, start) {
			return first
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", source, err)
	}
	if pending != "" {
		// The input ended inside a statement: run it for its error.
		run(pending, start)
	}
	return first
}

func skipLine(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "--")
}

// FormatError renders an error for people: server refusals as
// InvalidRequestException with Cassandra's text, syntax errors with a
// caret under the position when the line is known.
func FormatError(err error) string {
	var se *ScriptError
	prefix, line := "", ""
	if errors.As(err, &se) {
		prefix = fmt.Sprintf("%s:%d: ", se.Source, se.Line)
		line = se.Text
		err = se.Err
	}
	return prefix + formatErr(err, line)
}

// FormatLineError is FormatError for an error of Exec on line.
func FormatLineError(err error, line string) string {
	return formatErr(err, line)
}

func formatErr(err error, line string) string {
	var (
		pe  *ParseError
		ve  *ValueError
		ut  *cassa.UnknownTableError
		ire *cassa.InvalidRequestError
	)
	switch {
	case errors.As(err, &pe):
		if line != "" {
			return pe.Error() + "\n" + pe.Caret(line)
		}
		return pe.Error()
	case errors.As(err, &ve):
		msg := "error: " + ve.Error()
		if line != "" {
			msg += "\n" + (&ParseError{Pos: ve.Lit.Pos}).Caret(line)
		}
		return msg
	case errors.As(err, &ut):
		// Before the server's answer, which it may wrap.
		return fmt.Sprintf("unknown column family %q in keyspace %q", ut.Table, ut.Keyspace)
	case errors.As(err, &ire):
		return "InvalidRequestException: " + ire.Why
	case errors.Is(err, cassa.ErrNotFound):
		return "NotFoundException"
	}
	return "error: " + err.Error()
}
