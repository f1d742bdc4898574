package cqlsh

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/cqlscript"
)

// Version is the cqlsh version the banner and SHOW VERSION name: cqlsh's
// own version in Cassandra 3.11, whose output this shell follows.
const Version = "5.0.1"

// Defaults of cqlsh.
const (
	DefaultHost           = "127.0.0.1"
	DefaultPort           = 9042
	DefaultConnectTimeout = 5 * time.Second
	DefaultRequestTimeout = 10 * time.Second
	defaultPageSize       = 100
)

// ErrQuit is returned by Run for EXIT and QUIT.
var ErrQuit = errors.New("cqlsh: quit")

// ErrStopped is returned by Run, Exec and RunScript when StopOnError is
// set and a statement failed (its error has been printed).
var ErrStopped = errors.New("cqlsh: stopped at the first error")

// Config says where a Shell connects and how it shows results. Its zero
// value connects to 127.0.0.1:9042 without login, TLS or colours.
type Config struct {
	// Host and Port name the node; empty and 0 mean DefaultHost and
	// DefaultPort.
	Host string
	Port int
	// Keyspace is used at start when not empty.
	Keyspace string
	// Username and Password log in with PasswordAuthenticator when
	// Username is set.
	Username, Password string
	// TLS, when not nil, wraps the connection in TLS.
	TLS *tls.Config
	// ConnectTimeout and RequestTimeout: zero means the defaults (5 s and
	// 10 s, as cqlsh).
	ConnectTimeout, RequestTimeout time.Duration
	// ProtocolVersion pins the native protocol version; zero negotiates.
	ProtocolVersion int
	// Color colours values, column names and errors with ANSI escapes.
	Color bool
	// Interactive is set when a person types at a terminal: results page
	// with a ---MORE--- prompt, and errors are not prefixed with the
	// source and line.
	Interactive bool
	// Prompt reads a line in interactive mode (for ---MORE--- and COPY
	// FROM STDIN); nil reads from Stdin.
	Prompt func(prompt string) (string, error)
	// Stdin is where COPY FROM STDIN reads when Prompt is nil.
	Stdin io.Reader
	// Out receives results, Err errors; nil means os.Stdout, os.Stderr.
	Out, Err io.Writer
	// Now is the clock of COPY's rates and times; nil means time.Now.
	Now func() time.Time
}

// Shell is a cqlsh session: a connection to one node, the current
// keyspace and the settings cqlsh's commands change (consistency, paging,
// expanded output, capture). It is used by one goroutine at a time.
type Shell struct {
	// StopOnError makes scripts stop at the first failing statement;
	// cqlsh runs the rest.
	StopOnError bool

	cfg      Config
	host     string
	port     int
	db       *cql.Session
	gs       *gocql.Session
	keyspace string
	username string
	password string
	out      io.Writer // query results (CAPTURE redirects them)
	errOut   io.Writer
	console  io.Writer // the shell's own messages
	capture  *os.File
	captured string

	consistency, serial gocql.Consistency
	paging              bool
	pageSize            int
	expand              bool
	color               bool
	capColor            bool

	versions struct{ release, cql, protocol, cluster, partitioner string }

	// source and line locate errors in scripts: cqlsh prefixes them with
	// "source:line:" outside interactive mode.
	source string
	lineNo int
	failed bool // an error was printed (cqlsh exits 2 after a script)

	splitter cqlscript.Splitter
	names    *schemaCache // for completion
	stdin    *lineReader
}

// lineCommands are cqlsh's commands that end at the end of their line
// (cqlsh's commands_end_with_newline).
var lineCommands = []string{
	"help", "?", "consistency", "serial", "describe", "desc", "show", "source", "capture",
	"login", "debug", "tracing", "expand", "paging", "exit", "quit", "clear", "cls",
}

// New connects to the node and, when cfg.Keyspace is set, uses that
// keyspace. The error is what cqlsh reports as "Connection error".
func New(ctx context.Context, cfg Config) (*Shell, error) {
	if cfg.Host == "" {
		cfg.Host = DefaultHost
	}
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Err == nil {
		cfg.Err = os.Stderr
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Shell{
		cfg:         cfg,
		host:        cfg.Host,
		port:        cfg.Port,
		username:    cfg.Username,
		password:    cfg.Password,
		out:         cfg.Out,
		errOut:      cfg.Err,
		console:     cfg.Out,
		consistency: gocql.One,
		serial:      gocql.Serial,
		paging:      true,
		pageSize:    defaultPageSize,
		color:       cfg.Color,
		source:      "<stdin>",
		lineNo:      1,
		splitter:    cqlscript.Splitter{LineCommands: lineCommands},
	}
	if cfg.Stdin != nil {
		s.stdin = &lineReader{r: cfg.Stdin}
	}
	ks := cfg.Keyspace
	if err := s.connect(ctx, s.username, s.password, ks); err != nil {
		return nil, err
	}
	if err := s.loadVersions(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// connect opens a session on the node, logged in as user, using keyspace
// when not empty, and replaces the current one when it succeeds.
func (s *Shell) connect(ctx context.Context, user, password, keyspace string) error {
	db, err := cql.Open(ctx, cql.Config{
		Hosts:                    []string{net.JoinHostPort(s.host, strconv.Itoa(s.port))},
		Keyspace:                 keyspace,
		Username:                 user,
		Password:                 password,
		TLS:                      s.cfg.TLS,
		ConnectTimeout:           s.cfg.ConnectTimeout,
		Timeout:                  s.cfg.RequestTimeout,
		NumConns:                 1,
		MaxRetries:               cql.NoRetries,
		ReconnectInterval:        cql.NoReconnectInterval,
		DisableInitialHostLookup: true, // cqlsh talks to the node it was given only
		ProtoVersion:             s.cfg.ProtocolVersion,
		Name:                     "cqlsh",
	})
	if err != nil {
		return err
	}
	if s.db != nil {
		_ = s.db.Close(context.Background())
	}
	s.db, s.gs, s.keyspace = db, db.Driver(), keyspace
	s.username, s.password = user, password
	return nil
}

// Close closes the connection and any capture file.
func (s *Shell) Close() error {
	if s.capture != nil {
		_ = s.capture.Close()
		s.capture = nil
	}
	if s.db == nil {
		return nil
	}
	err := s.db.Close(context.Background())
	s.db = nil
	return err
}

// loadVersions reads what the banner and SHOW VERSION print.
func (s *Shell) loadVersions(ctx context.Context) error {
	var release, cqlVersion, protocol, cluster, partitioner string
	err := s.gs.Query("SELECT release_version, cql_version, native_protocol_version, cluster_name, partitioner FROM system.local WHERE key = 'local'").
		WithContext(ctx).Consistency(gocql.One).
		Scan(&release, &cqlVersion, &protocol, &cluster, &partitioner)
	if err != nil {
		return fmt.Errorf("read system.local: %w", err)
	}
	s.versions.release, s.versions.protocol, s.versions.cluster, s.versions.partitioner = release, protocol, cluster, partitioner
	// full_cql_version: at least three parts.
	for strings.Count(cqlVersion, ".") < 2 {
		cqlVersion += ".0"
	}
	s.versions.cql = cqlVersion
	return nil
}

// Keyspace is the current keyspace ("" when none).
func (s *Shell) Keyspace() string { return s.keyspace }

// Failed reports whether an error has been printed; cqlsh exits with
// status 2 after -e or -f when one was.
func (s *Shell) Failed() bool { return s.failed }

// Banner is what cqlsh prints when it starts on a terminal.
func (s *Shell) Banner() {
	s.showHost()
	s.showVersion()
	fmt.Fprintln(s.console, "Use HELP for help.")
}

func (s *Shell) showHost() {
	fmt.Fprintf(s.console, "Connected to %s at %s:%d.\n", s.applyColor(s.versions.cluster, ansiBlue), s.host, s.port)
}

func (s *Shell) showVersion() {
	fmt.Fprintf(s.console, "[cqlsh %s | Cassandra %s | CQL spec %s | Native protocol v%s]\n",
		Version, s.versions.release, s.versions.cql, s.versions.protocol)
}

func (s *Shell) applyColor(text, color string) string {
	if !s.color || color == "" {
		return text
	}
	return color + text + ansiReset
}

// Prompt is cqlsh's prompt: "cqlsh> ", "cqlsh:ks> " in a keyspace, with
// "user@" in front when logged in.
func (s *Shell) Prompt() string {
	p := "cqlsh> "
	if s.keyspace != "" {
		p = "cqlsh:" + s.keyspace + "> "
	}
	if s.username != "" {
		p = s.username + "@" + p
	}
	return p
}

// ContinuePrompt is the prompt of the lines after the first of a
// statement.
func (s *Shell) ContinuePrompt() string {
	if s.keyspace == "" {
		return "   ... "
	}
	return strings.Repeat(" ", len(s.keyspace)) + "    ... "
}

// printErr prints an error as cqlsh does: in red with colours, prefixed
// with "source:line:" outside interactive mode.
func (s *Shell) printErr(msg string) {
	s.failed = true
	if !s.cfg.Interactive {
		msg = fmt.Sprintf("%s:%d:%s", s.source, s.lineNo, msg)
	}
	fmt.Fprintln(s.errOut, s.applyColor(msg, ansiRed))
}

// writeResult writes a line of query output.
func (s *Shell) writeResult(line string) {
	fmt.Fprintln(s.out, line)
}

// Run runs every complete statement of text, as one input line (or the
// -e argument) of cqlsh: errors are printed, not returned. It returns
// ErrQuit after EXIT or QUIT, and ctx's error when it was cancelled.
func (s *Shell) Run(ctx context.Context, text string) error {
	for _, st := range s.splitter.Split(text) {
		if err := s.runStatement(ctx, st.Text); err != nil {
			return err
		}
		if s.StopOnError && s.failed && !s.cfg.Interactive {
			return ErrStopped
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Ready reports whether text, as typed so far, holds statements to run:
// it is not open (see cqlscript.Splitter.Open).
func (s *Shell) Ready(text string) bool {
	return !s.splitter.Open(text)
}

// RunScript runs the statements of r as cqlsh runs a file given with -f
// or piped in: line by line, each statement as soon as its terminator is
// read, errors printed with "source:line:" (where line is cqlsh's count:
// the lines read, plus one) and the rest run anyway. A statement left open
// at the end is reported as "Incomplete statement at end of file". It
// returns ErrQuit after EXIT or QUIT, and ctx's error when cancelled.
func (s *Shell) RunScript(ctx context.Context, r io.Reader, source string) error {
	prevSource, prevLine, prevInteractive, prevStdin := s.source, s.lineNo, s.cfg.Interactive, s.stdin
	s.source, s.lineNo, s.cfg.Interactive = source, 1, false
	s.stdin = &lineReader{r: r}
	defer func() {
		s.source, s.lineNo, s.cfg.Interactive, s.stdin = prevSource, prevLine, prevInteractive, prevStdin
	}()
	var pending strings.Builder
	for {
		line, err := s.stdin.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		s.lineNo++
		pending.WriteString(line)
		text := pending.String()
		if !s.Ready(text) {
			continue
		}
		pending.Reset()
		if err := s.Run(ctx, text); err != nil {
			return err
		}
	}
	if rest := pending.String(); strings.TrimSpace(rest) != "" {
		if !s.Ready(rest) {
			s.printErr("Incomplete statement at end of file")
			return nil
		}
		return s.Run(ctx, rest)
	}
	return nil
}

// Exec runs cqlsh -e's argument: a ';' is added when it does not end with
// one, and every statement runs, errors prefixed with "<stdin>:1:".
func (s *Shell) Exec(ctx context.Context, statements string) error {
	if !strings.HasSuffix(statements, ";") {
		statements += ";"
	}
	err := s.Run(ctx, statements)
	if errors.Is(err, ErrQuit) {
		return nil
	}
	return err
}

// lineReader reads lines, keeping their line ends, as Python's readline.
type lineReader struct {
	r  io.Reader
	br *bufio.Reader
}

func (l *lineReader) readLine() (string, error) {
	if l.br == nil {
		l.br = bufio.NewReader(l.r)
	}
	line, err := l.br.ReadString('\n')
	if err == io.EOF && line != "" {
		return line, nil
	}
	return line, err
}
