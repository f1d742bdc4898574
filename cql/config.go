package cql

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/internal/hostport"
)

// DefaultPort is the native-protocol port used when a host has none.
const DefaultPort = 9042

// Defaults applied to the zero values of Config fields.
const (
	// DefaultConsistency is LOCAL_QUORUM: a read at LOCAL_QUORUM sees every
	// write acknowledged at LOCAL_QUORUM in the same data center, which is
	// what a mapper's read-after-write needs; on a single data center it is
	// QUORUM, and it never waits for a remote data center.
	DefaultConsistency = cassa.LocalQuorum
	// DefaultTimeout is gocql's: one second above Cassandra's longest
	// default server-side timeout (range_request_timeout_in_ms, 10 s), so
	// that the server answers with its own timeout before the client gives
	// up.
	DefaultTimeout        = 11 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultNumConns       = 2
	DefaultPageSize       = 5000
	DefaultMaxRetries     = 3
	DefaultBackoffBase    = 10 * time.Millisecond
	DefaultBackoffMax     = time.Second
	// DefaultReconnectAttempts is how many times a lost connection is
	// redialled, DefaultReconnectPause apart, before its host is marked
	// down. It is never below 1: gocql 2.1.2 with a ReconnectionPolicy of
	// MaxRetries 0 makes no connection attempt and leaves a nil connection
	// in its pool, which panics on the first query.
	DefaultReconnectAttempts = 3
	DefaultReconnectPause    = time.Second
	// DefaultReconnectInterval is how often hosts marked down are probed in
	// the background (gocql's ReconnectInterval).
	DefaultReconnectInterval = 60 * time.Second
	// DefaultWriteCoalesce is 0: requests are written to the socket at
	// once. gocql's default of 200 µs batches writes of concurrent requests
	// into fewer syscalls but makes every request of a lightly loaded
	// session wait for it (see BenchmarkCoalesce).
	DefaultWriteCoalesce = 0
)

// Special values for Config fields whose zero value already means a default.
const (
	// NoRetries as Config.MaxRetries makes every statement a single attempt.
	NoRetries = -1
	// NoTimeout as Config.Timeout leaves a request bounded only by its
	// context.
	NoTimeout time.Duration = -1
	// NoReconnectInterval as Config.ReconnectInterval never probes hosts
	// marked down in the background; they come back on the server's UP
	// event only.
	NoReconnectInterval time.Duration = -1
)

// Compression names accepted by Config.Compression.
const (
	CompressionNone   = ""
	CompressionSnappy = "snappy"
	CompressionLZ4    = "lz4"
)

// Config describes a Session. Its zero value is usable: every zero field
// means the default documented on it, and the result is a session on
// 127.0.0.1:9042 with token-aware routing, LOCAL_QUORUM, retries of
// idempotent statements and a silent log.
type Config struct {
	// Hosts are the contact points, "host" or "host:port" (port 9042 when
	// missing; IPv6 hosts in brackets with a port). The driver learns the
	// rest of the cluster from them unless DisableInitialHostLookup is set.
	// Empty means "127.0.0.1:9042". Give IP addresses where you can: a name
	// that resolves to several addresses makes the driver connect to each.
	Hosts []string
	// Keyspace is the session's keyspace, used by statements that do not
	// name one. Empty means none: statements must qualify their tables.
	Keyspace string

	// Consistency is the default consistency level of statements. Zero
	// means DefaultConsistency (LOCAL_QUORUM).
	Consistency cassa.Consistency
	// SerialConsistency is the default serial consistency of lightweight
	// transactions: cassa.Serial or cassa.LocalSerial. Zero leaves it to
	// the server (SERIAL).
	SerialConsistency cassa.Consistency

	// Timeout bounds each request on the client side (and is the socket
	// read timeout). Zero means DefaultTimeout (11 s); NoTimeout leaves
	// only the context's deadline.
	Timeout time.Duration
	// ConnectTimeout bounds opening one connection: TCP, TLS, STARTUP and
	// authentication. Zero means DefaultConnectTimeout (5 s).
	ConnectTimeout time.Duration
	// NumConns is the number of connections per host. Zero means 2.
	NumConns int

	// LocalDC is the data center whose replicas are tried first. Requests
	// are routed to a replica of their partition (token-aware routing,
	// replicas shuffled) in LocalDC, then to the other hosts of LocalDC,
	// then to remote hosts. Empty means a cluster treated as one data
	// center: token-aware over every host. (gocql's DCAwareRoundRobinPolicy
	// with an empty name takes every host for remote, which would switch
	// token-aware routing off; it is not used then.)
	LocalDC string

	// MaxRetries is how many times a failed statement is retried, on the
	// next host of its routing plan, when the failure allows it (see the
	// package doc: timeouts, unavailable, overloaded and connection errors,
	// and for non-idempotent statements only failures that applied
	// nothing). Zero means DefaultMaxRetries (3); NoRetries for none.
	MaxRetries int
	// BackoffBase is the pause before the first retry; it doubles for each
	// further retry up to BackoffMax, with jitter. Zero means 10 ms.
	BackoffBase time.Duration
	// BackoffMax caps the pause between retries. Zero means 1 s.
	BackoffMax time.Duration

	// ReconnectAttempts is how many times a lost connection is redialled
	// before its host is marked down. Zero means 3.
	ReconnectAttempts int
	// ReconnectPause is the pause between those attempts. Zero means 1 s.
	ReconnectPause time.Duration
	// ReconnectInterval is how often hosts marked down are probed. Zero
	// means 60 s; NoReconnectInterval disables the probe.
	ReconnectInterval time.Duration

	// TLS, when not nil, wraps every connection in TLS with this
	// configuration (verify the server's certificate: leave
	// InsecureSkipVerify false and set RootCAs and ServerName as needed).
	TLS *tls.Config
	// Username and Password, when Username is set, log in with
	// PasswordAuthenticator on every connection.
	Username, Password string
	// Authenticators, when not empty, are the only server authenticator
	// classes Username and Password are sent to (gocql otherwise sends them
	// to any), e.g. "org.apache.cassandra.auth.PasswordAuthenticator".
	Authenticators []string

	// Compression is "" (none), "snappy" or "lz4". Compression pays off
	// for large rows over a slow network; on a LAN it mostly costs CPU.
	Compression string
	// ProtoVersion pins the native protocol version (3, 4 or 5). Zero
	// negotiates the highest version the first host accepts. Pin it on a
	// cluster whose nodes run different Cassandra versions.
	ProtoVersion int

	// PageSize is the default number of rows a page holds. Zero means
	// DefaultPageSize (5000).
	PageSize int
	// WriteCoalesce is how long a connection waits to gather requests
	// into one socket write. Zero (the default) writes at once; a few
	// hundred microseconds saves syscalls under heavy concurrency and costs
	// that much latency when requests come one at a time.
	WriteCoalesce time.Duration

	// DisableInitialHostLookup connects to Hosts only, without reading
	// system.peers: for a single node behind NAT or in a container whose
	// advertised address is unreachable. It also switches token-aware
	// routing off.
	DisableInitialHostLookup bool
	// HostFilter, when set, decides which discovered hosts are used (e.g.
	// gocql.DataCentreHostFilter).
	HostFilter gocql.HostFilter
	// AddressTranslator, when set, maps the addresses the cluster
	// advertises to addresses this client can reach.
	AddressTranslator gocql.AddressTranslator

	// PageTokenKey is the secret that seals page tokens (see PageToken).
	// Sessions sharing it (another process, another replica of a web
	// service) resume each other's tokens; use at least 16 random bytes.
	// Empty means a random key made by Open: tokens then resume only on
	// this Session.
	PageTokenKey []byte

	// Name identifies the session in events and logs. Empty means
	// "cql-N" with a process-unique N.
	Name string
	// Listeners receive the session's events (see Listener).
	Listeners []Listener
	// Logger, when not nil, receives the session's events and gocql's own
	// log records. Nil is silent.
	Logger *slog.Logger

	// Driver, when not nil, is called last with the gocql configuration
	// Open built, to set what Config does not cover. It must not replace
	// the observers, the logger, the retry policy or the host selection
	// policy, which the session relies on.
	Driver func(*gocql.ClusterConfig)
}

// settings is a Config with every default applied.
type settings struct {
	hosts             []string
	keyspace          string
	consistency       cassa.Consistency
	serial            cassa.Consistency
	timeout           time.Duration // 0 = none
	connectTimeout    time.Duration
	numConns          int
	localDC           string
	maxRetries        int // 0 = none
	backoffBase       time.Duration
	backoffMax        time.Duration
	reconnectAttempts int
	reconnectPause    time.Duration
	reconnectInterval time.Duration // 0 = none
	tls               *tls.Config
	username          string
	password          string
	authenticators    []string
	compression       string
	protoVersion      int
	pageSize          int
	writeCoalesce     time.Duration
	disableLookup     bool
	hostFilter        gocql.HostFilter
	translator        gocql.AddressTranslator
	tokenKey          []byte
	name              string
	listeners         []Listener
	logger            *slog.Logger
	driver            func(*gocql.ClusterConfig)
}

// ErrConfig marks the errors Open returns for a Config it cannot use.
var ErrConfig = errors.New("cql: invalid config")

func (c *Config) settings() (*settings, error) {
	bad := func(field string, v any) error { return fmt.Errorf("%w: %s = %v", ErrConfig, field, v) }
	s := &settings{
		keyspace:       c.Keyspace,
		localDC:        c.LocalDC,
		tls:            c.TLS,
		username:       c.Username,
		password:       c.Password,
		authenticators: append([]string(nil), c.Authenticators...),
		disableLookup:  c.DisableInitialHostLookup,
		hostFilter:     c.HostFilter,
		translator:     c.AddressTranslator,
		tokenKey:       append([]byte(nil), c.PageTokenKey...),
		name:           c.Name,
		listeners:      append([]Listener(nil), c.Listeners...),
		logger:         c.Logger,
		driver:         c.Driver,
	}
	for _, h := range c.Hosts {
		addr, err := hostport.Normalize(h, DefaultPort)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		s.hosts = append(s.hosts, addr)
	}
	if len(s.hosts) == 0 {
		s.hosts = []string{net.JoinHostPort("127.0.0.1", strconv.Itoa(DefaultPort))}
	}

	s.consistency = c.Consistency
	if s.consistency == 0 {
		s.consistency = DefaultConsistency
	}
	if _, ok := gocqlConsistency(s.consistency); !ok || s.consistency == cassa.Serial || s.consistency == cassa.LocalSerial {
		return nil, bad("Consistency", c.Consistency)
	}
	switch c.SerialConsistency {
	case 0, cassa.Serial, cassa.LocalSerial:
		s.serial = c.SerialConsistency
	default:
		return nil, bad("SerialConsistency", c.SerialConsistency)
	}

	switch {
	case c.Timeout == 0:
		s.timeout = DefaultTimeout
	case c.Timeout == NoTimeout:
		s.timeout = 0
	case c.Timeout < 0:
		return nil, bad("Timeout", c.Timeout)
	default:
		s.timeout = c.Timeout
	}
	switch {
	case c.ConnectTimeout == 0:
		s.connectTimeout = DefaultConnectTimeout
	case c.ConnectTimeout < 0:
		return nil, bad("ConnectTimeout", c.ConnectTimeout)
	default:
		s.connectTimeout = c.ConnectTimeout
	}
	switch {
	case c.NumConns == 0:
		s.numConns = DefaultNumConns
	case c.NumConns < 0:
		return nil, bad("NumConns", c.NumConns)
	default:
		s.numConns = c.NumConns
	}
	switch {
	case c.MaxRetries == 0:
		s.maxRetries = DefaultMaxRetries
	case c.MaxRetries == NoRetries:
		s.maxRetries = 0
	case c.MaxRetries < 0:
		return nil, bad("MaxRetries", c.MaxRetries)
	default:
		s.maxRetries = c.MaxRetries
	}
	s.backoffBase = positive(c.BackoffBase, DefaultBackoffBase)
	s.backoffMax = max(positive(c.BackoffMax, DefaultBackoffMax), s.backoffBase)

	switch {
	case c.ReconnectAttempts == 0:
		s.reconnectAttempts = DefaultReconnectAttempts
	case c.ReconnectAttempts < 0:
		return nil, bad("ReconnectAttempts", c.ReconnectAttempts)
	default:
		s.reconnectAttempts = c.ReconnectAttempts
	}
	s.reconnectPause = positive(c.ReconnectPause, DefaultReconnectPause)
	switch {
	case c.ReconnectInterval == 0:
		s.reconnectInterval = DefaultReconnectInterval
	case c.ReconnectInterval == NoReconnectInterval:
		s.reconnectInterval = 0
	case c.ReconnectInterval < 0:
		return nil, bad("ReconnectInterval", c.ReconnectInterval)
	default:
		s.reconnectInterval = c.ReconnectInterval
	}

	switch strings.ToLower(c.Compression) {
	case CompressionNone, CompressionSnappy, CompressionLZ4:
		s.compression = strings.ToLower(c.Compression)
	default:
		return nil, bad("Compression", fmt.Sprintf("%q (want \"\", %q or %q)", c.Compression, CompressionSnappy, CompressionLZ4))
	}
	switch c.ProtoVersion {
	case 0, 3, 4, 5:
		s.protoVersion = c.ProtoVersion
	default:
		return nil, bad("ProtoVersion", c.ProtoVersion)
	}
	switch {
	case c.PageSize == 0:
		s.pageSize = DefaultPageSize
	case c.PageSize < 0:
		return nil, bad("PageSize", c.PageSize)
	default:
		s.pageSize = c.PageSize
	}
	if c.WriteCoalesce < 0 {
		return nil, bad("WriteCoalesce", c.WriteCoalesce)
	}
	s.writeCoalesce = c.WriteCoalesce
	if c.Username == "" && c.Password != "" {
		return nil, fmt.Errorf("%w: Password without Username", ErrConfig)
	}
	return s, nil
}

func positive(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

// gocqlLevels maps cassa's consistency levels to gocql's.
var gocqlLevels = [...]gocql.Consistency{
	cassa.Any:         gocql.Any,
	cassa.One:         gocql.One,
	cassa.Two:         gocql.Two,
	cassa.Three:       gocql.Three,
	cassa.Quorum:      gocql.Quorum,
	cassa.All:         gocql.All,
	cassa.LocalQuorum: gocql.LocalQuorum,
	cassa.EachQuorum:  gocql.EachQuorum,
	cassa.Serial:      gocql.Serial,
	cassa.LocalSerial: gocql.LocalSerial,
	cassa.LocalOne:    gocql.LocalOne,
}

// gocqlConsistency converts a level; false for the zero value and unknown
// levels.
func gocqlConsistency(c cassa.Consistency) (gocql.Consistency, bool) {
	if c == 0 || int(c) >= len(gocqlLevels) {
		return 0, false
	}
	return gocqlLevels[c], true
}

// cassaConsistency converts a gocql level back, for errors; 0 when unknown.
func cassaConsistency(c gocql.Consistency) cassa.Consistency {
	for i, g := range gocqlLevels {
		if i > 0 && g == c {
			return cassa.Consistency(i)
		}
	}
	return 0
}
