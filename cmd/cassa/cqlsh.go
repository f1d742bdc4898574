package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cassa-go/cassa/internal/cqlsh"
	"github.com/cassa-go/cassa/internal/repl"
	"github.com/peterh/liner"
)

func init() {
	commands["cqlsh"] = command{
		summary: "CQL shell (cqlsh): CQL statements, DESCRIBE, COPY, paging, history, completion",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runCqlsh(ctx, args, os.Stdin, stdout, stderr)
		},
	}
}

// cqlshFlags are `cassa cqlsh`'s flags: cqlsh's own, where they apply,
// and the settings of cqlsh's cqlshrc [ssl] section as flags.
type cqlshFlags struct {
	execute, file, keyspace, user, password, encoding, cqlshrc string
	ssl, color, noColor, tty, debug, stopOnError, keepGoing    bool
	connectTimeout, requestTimeout                             int
	certfile, userkey, usercert                                string
	validate                                                   string
	cqlVersion, browser                                        string
	protocolVersion                                            int
}

// runCqlsh is `cassa cqlsh [host [port]]`. With -e, -f or piped stdin it
// runs the statements, all of them whatever fails (as cqlsh does; with
// --stop-on-error up to the first failing one), and exits 2 when any
// failed; on a terminal it is interactive.
func runCqlsh(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cassa cqlsh", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f cqlshFlags
	str := func(p *string, long, short, def, usage string) {
		fs.StringVar(p, long, def, usage)
		if short != "" {
			fs.StringVar(p, short, def, "short for --"+long)
		}
	}
	boolean := func(p *bool, long, short, usage string) {
		fs.BoolVar(p, long, false, usage)
		if short != "" {
			fs.BoolVar(p, short, false, "short for --"+long)
		}
	}
	str(&f.execute, "execute", "e", "", "execute the `statements` and quit")
	str(&f.file, "file", "f", "", "execute the statements of `FILE`, then exit")
	str(&f.keyspace, "keyspace", "k", "", "use the given `keyspace`")
	str(&f.user, "username", "u", "", "authenticate as `user`")
	str(&f.password, "password", "p", "", "authenticate using `password` (asked for at a terminal when -u is given without it)")
	boolean(&f.color, "color", "C", "always use color output")
	boolean(&f.noColor, "no-color", "", "never use color output")
	boolean(&f.ssl, "ssl", "", "use SSL/TLS")
	str(&f.certfile, "ssl-certfile", "", "", "`PEM file` of the CA that signed the node's certificate (cqlshrc [ssl] certfile; $SSL_CERTFILE)")
	str(&f.validate, "ssl-validate", "", "", "verify the node's certificate: true (default) or false (cqlshrc [ssl] validate; $SSL_VALIDATE)")
	str(&f.userkey, "ssl-userkey", "", "", "client private key `PEM file`, for nodes that require client certificates (cqlshrc [ssl] userkey)")
	str(&f.usercert, "ssl-usercert", "", "", "client certificate `PEM file` (cqlshrc [ssl] usercert)")
	str(&f.encoding, "encoding", "", "utf8", "output `encoding` (only utf8)")
	str(&f.cqlshrc, "cqlshrc", "", "", "cqlshrc `file` to read (default ~/.cassandra/cqlshrc)")
	fs.IntVar(&f.connectTimeout, "connect-timeout", 5, "connection timeout in `seconds`")
	fs.IntVar(&f.requestTimeout, "request-timeout", 10, "request timeout in `seconds`")
	boolean(&f.tty, "tty", "t", "force tty mode (prompt, paging)")
	boolean(&f.debug, "debug", "", "accepted for cqlsh compatibility")
	str(&f.cqlVersion, "cqlversion", "", "", "accepted for cqlsh compatibility (the node's CQL version is used)")
	str(&f.browser, "browser", "", "", "accepted for cqlsh compatibility (HELP prints the URL)")
	fs.IntVar(&f.protocolVersion, "protocol-version", 0, "native protocol `version` (default: negotiated)")
	fs.BoolVar(&f.stopOnError, "stop-on-error", false, "with -e, -f or piped stdin: stop at the first failing statement")
	fs.BoolVar(&f.keepGoing, "continue-on-error", false, "run the statements after a failing one (the default, as cqlsh)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cassa cqlsh [flags] [host [port]]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "A CQL shell that reads and prints as Cassandra 3.11's cqlsh, in one binary.")
		fmt.Fprintln(stderr, "Connects to 127.0.0.1:9042 by default ($CQLSH_HOST, $CQLSH_PORT, or the")
		fmt.Fprintln(stderr, "arguments). With -e, -f or statements piped on stdin it runs them all and exits")
		fmt.Fprintln(stderr, "2 if any failed; errors read SOURCE:LINE:message as cqlsh's do.")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "  cassa cqlsh -e 'DESCRIBE KEYSPACES'")
		fmt.Fprintln(stderr, "  cassa cqlsh -k shop -f schema.cql 10.0.0.4 9042")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, interleaved(fs, args)); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	rc := readCqlshrc(f.cqlshrc)
	host := rc.get("connection", "hostname", cqlsh.DefaultHost)
	port := rc.get("connection", "port", strconv.Itoa(cqlsh.DefaultPort))
	if v := os.Getenv("CQLSH_HOST"); v != "" {
		host = v
	}
	if v := os.Getenv("CQLSH_PORT"); v != "" {
		port = v
	}
	switch fs.NArg() {
	case 0:
	case 1:
		host = fs.Arg(0)
	case 2:
		host, port = fs.Arg(0), fs.Arg(1)
	default:
		fmt.Fprintf(stderr, "cassa cqlsh: unexpected argument %q\n", fs.Arg(2))
		fs.Usage()
		return errUsage
	}
	portNum, err := strconv.Atoi(port)
	if err != nil || portNum <= 0 || portNum > 65535 {
		fmt.Fprintf(stderr, "cassa cqlsh: '%s' is not a valid port number.\n", port)
		return errUsage
	}
	if e := strings.ToLower(strings.ReplaceAll(f.encoding, "-", "")); e != "utf8" {
		fmt.Fprintf(stderr, "cassa cqlsh: encoding %q is not supported (only utf8)\n", f.encoding)
		return errUsage
	}
	if f.execute != "" && f.file != "" {
		fmt.Fprintln(stderr, "cassa cqlsh: give -e or -f, not both")
		return errUsage
	}
	if f.stopOnError && f.keepGoing {
		fmt.Fprintln(stderr, "cassa cqlsh: give --stop-on-error or --continue-on-error, not both")
		return errUsage
	}
	if f.connectTimeout <= 0 || f.requestTimeout <= 0 {
		fmt.Fprintln(stderr, "cassa cqlsh: timeouts must be positive numbers of seconds")
		return errUsage
	}
	if !set["connect-timeout"] {
		if v, err := strconv.Atoi(rc.get("connection", "timeout", "")); err == nil {
			f.connectTimeout = v
		}
	}
	if !set["request-timeout"] {
		if v, err := strconv.Atoi(rc.get("connection", "request_timeout", "")); err == nil {
			f.requestTimeout = v
		}
	}
	if f.user == "" {
		f.user = rc.get("authentication", "username", "")
		if f.password == "" {
			f.password = rc.get("authentication", "password", "")
		}
	}
	if f.keyspace == "" {
		f.keyspace = rc.get("authentication", "keyspace", "")
	}
	if !set["ssl"] {
		f.ssl = strings.EqualFold(rc.get("connection", "ssl", ""), "true")
	}
	interactive := f.execute == "" && f.file == "" && (f.tty || repl.IsTerminal(stdin))

	cfg := cqlsh.Config{
		Host:            host,
		Port:            portNum,
		Keyspace:        f.keyspace,
		Username:        f.user,
		Password:        f.password,
		ConnectTimeout:  time.Duration(f.connectTimeout) * time.Second,
		RequestTimeout:  time.Duration(f.requestTimeout) * time.Second,
		Interactive:     interactive,
		ProtocolVersion: f.protocolVersion,
		Stdin:           stdin,
		Out:             stdout,
		Err:             stderr,
	}
	switch {
	case f.color:
		cfg.Color = true
	case f.noColor:
	case rc.get("ui", "color", "") != "":
		cfg.Color = strings.EqualFold(rc.get("ui", "color", ""), "on") || strings.EqualFold(rc.get("ui", "color", ""), "true")
	default:
		cfg.Color = f.file == "" && isTerminalWriter(stdout) && os.Getenv("TERM") != "" && os.Getenv("TERM") != "dumb"
	}
	if f.ssl {
		tc, err := cqlshTLS(host, f, rc)
		if err != nil {
			fmt.Fprintf(stderr, "cassa cqlsh: %v\n", err)
			return &exitError{code: 1}
		}
		cfg.TLS = tc
	}
	if cfg.Username != "" && cfg.Password == "" {
		pw, err := askPassword(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "cassa cqlsh: %v\n", err)
			return &exitError{code: 1}
		}
		cfg.Password = pw
	}
	var script *os.File
	if f.file != "" {
		script, err = os.Open(f.file)
		if err != nil {
			fmt.Fprintf(stderr, "Can't open '%s': %v\n", f.file, err)
			return &exitError{code: 1}
		}
		defer script.Close()
	}

	sh, err := cqlsh.New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "Connection error: ('Unable to connect to any servers', {'%s:%d': %v})\n", host, portNum, err)
		return &exitError{code: 1}
	}
	defer sh.Close()
	sh.StopOnError = f.stopOnError

	switch {
	case f.execute != "":
		err = sh.Exec(ctx, f.execute)
	case script != nil:
		err = sh.RunScript(ctx, script, f.file)
	case interactive:
		sh.Banner()
		err = sh.RunInteractive(ctx, repl.HistoryPath(cqlsh.HistoryFile))
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("cqlsh: %w", err)}
		}
		return nil
	default:
		err = sh.RunScript(ctx, stdin, "<stdin>")
	}
	if err != nil && !errors.Is(err, cqlsh.ErrQuit) && !errors.Is(err, cqlsh.ErrStopped) {
		if ctx.Err() == nil {
			fmt.Fprintln(stderr, err)
		}
		return &exitError{code: 2}
	}
	if sh.Failed() {
		return &exitError{code: 2}
	}
	return nil
}

// interleaved moves the flags after the positional arguments in front of
// them, as Python's optparse reads `cqlsh host -e ...`.
func interleaved(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if fl := fs.Lookup(name); fl != nil {
			if bf, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				continue
			}
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	return append(flags, pos...)
}

// isTerminalWriter reports whether w is a terminal (for colours).
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && repl.IsTTY(f)
}

// askPassword reads the password at the terminal without echo, as cqlsh's
// getpass does, or the first line of piped input.
func askPassword(stdin io.Reader) (string, error) {
	if repl.IsTerminal(stdin) {
		l := liner.NewLiner()
		defer l.Close()
		return l.PasswordPrompt("Password: ")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("a password is needed: give -p")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// cqlshrc is the INI file cqlsh reads its defaults from.
type cqlshrc map[string]map[string]string

func (rc cqlshrc) get(section, key, def string) string {
	if v, ok := rc[section][key]; ok {
		return v
	}
	return def
}

// readCqlshrc reads path, or ~/.cassandra/cqlshrc; a missing file is an
// empty configuration.
func readCqlshrc(path string) cqlshrc {
	if path == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return cqlshrc{}
		}
		path = filepath.Join(home, ".cassandra", "cqlshrc")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cqlshrc{}
	}
	rc := cqlshrc{}
	section := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.TrimSpace(line[1 : len(line)-1])
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				k, v, ok = strings.Cut(line, ":")
			}
			if ok {
				if rc[section] == nil {
					rc[section] = map[string]string{}
				}
				rc[section][strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
	}
	return rc
}

// cqlshTLS builds the TLS configuration as cqlsh's sslhandling: the CA
// file from --ssl-certfile, $SSL_CERTFILE or cqlshrc ([ssl] certfile, or
// [certfiles] per host), validation unless turned off, and a client
// certificate when userkey and usercert are given.
func cqlshTLS(host string, f cqlshFlags, rc cqlshrc) (*tls.Config, error) {
	pick := func(flagVal, env, section, key string) string {
		if flagVal != "" {
			return flagVal
		}
		if v := os.Getenv(env); v != "" && env != "" {
			return v
		}
		return rc.get(section, key, "")
	}
	certfile := f.certfile
	if certfile == "" {
		certfile = os.Getenv("SSL_CERTFILE")
	}
	if certfile == "" {
		certfile = rc.get("certfiles", host, rc.get("ssl", "certfile", ""))
	}
	validate := !strings.EqualFold(pick(f.validate, "SSL_VALIDATE", "ssl", "validate"), "false")
	tc := &tls.Config{ServerName: host, InsecureSkipVerify: !validate} //nolint:gosec // the user turned validation off
	if validate {
		if certfile == "" {
			return nil, errors.New("--ssl needs the CA certificate of the node: --ssl-certfile FILE (or SSL_CERTFILE, or cqlshrc [ssl] certfile), or --ssl-validate false")
		}
		pem, err := os.ReadFile(expandHome(certfile))
		if err != nil {
			return nil, fmt.Errorf("ssl certfile: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ssl certfile %s holds no PEM certificate", certfile)
		}
		tc.RootCAs = pool
	}
	key, cert := pick(f.userkey, "", "ssl", "userkey"), pick(f.usercert, "", "ssl", "usercert")
	if (key == "") != (cert == "") {
		return nil, errors.New("--ssl-userkey and --ssl-usercert go together")
	}
	if key != "" {
		pair, err := tls.LoadX509KeyPair(expandHome(cert), expandHome(key))
		if err != nil {
			return nil, fmt.Errorf("ssl client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	return tc, nil
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
