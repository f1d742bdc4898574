package pool

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cassa-go/cassa/internal/hostport"
)

// DefaultPort is the Thrift port used when a server address has none.
const DefaultPort = 9160

// Defaults applied to the zero values of Config fields.
const (
	DefaultPoolSize     = 5
	DefaultPoolTimeout  = 30 * time.Second
	DefaultTimeout      = 10 * time.Second
	DefaultDialTimeout  = 5 * time.Second
	DefaultRecycle      = 10000
	DefaultMaxRetries   = 5
	DefaultBackoffBase  = 10 * time.Millisecond
	DefaultBackoffMax   = time.Second
	DefaultProbeBase    = 250 * time.Millisecond
	DefaultProbeMax     = 30 * time.Second
	DefaultMaxFrameSize = 15 << 20 // Cassandra's thrift_framed_transport_size_in_mb (15), as the embedded server's
)

// Special values for Config fields whose zero value already means a default.
const (
	// UnlimitedOverflow as Config.MaxOverflow lets the pool open any number
	// of connections beyond PoolSize.
	UnlimitedOverflow = -1

	// NoWait as Config.PoolTimeout makes a checkout fail at once with
	// ErrPoolTimeout when every connection is in use.
	NoWait time.Duration = -1
	// WaitForever as Config.PoolTimeout makes a checkout wait for a free
	// connection until the context passed to Do is done.
	WaitForever time.Duration = -2

	// NoTimeout as Config.Timeout or Config.DialTimeout leaves a call bounded
	// only by its context.
	NoTimeout time.Duration = -1

	// NoRecycle as Config.Recycle keeps connections however many operations
	// they run.
	NoRecycle = -1

	// NoRetries as Config.MaxRetries (or in Retries) makes every operation a
	// single attempt.
	NoRetries = -1
	// UnlimitedRetries as Config.MaxRetries (or in Retries) retries until the
	// context passed to Do is done.
	UnlimitedRetries = -2
)

// Credentials are sent with login on every new connection, before
// set_keyspace. The map is Cassandra's AuthenticationRequest credentials
// (usually "username" and "password").
type Credentials map[string]string

// Config describes a Pool. Its zero value is usable: every zero field means
// the default documented on it. The special values NoWait, WaitForever,
// NoTimeout, NoRecycle, NoRetries, UnlimitedRetries and UnlimitedOverflow
// ask for what a zero cannot.
type Config struct {
	// Keyspace is set (set_keyspace) on every connection before use. Empty
	// means no keyspace: operations must name one themselves.
	Keyspace string

	// Servers are "host:port" addresses; a missing port means 9160. The list
	// is copied and shuffled once by Open, and connections are spread over it
	// round robin. Empty means ServerList, or "localhost:9160" when that is
	// nil too.
	Servers []string
	// ServerList, when Servers is empty, is called by Open for the list, and
	// again whenever every known server is marked down (so a service-discovery
	// function can hand new ones). Servers it once returned are kept.
	ServerList func() []string

	// PoolSize is how many connections the pool keeps open. Default 5.
	PoolSize int
	// MaxOverflow is how many more connections may be opened under load;
	// they are closed when returned to a full pool. Default 0;
	// UnlimitedOverflow for no limit.
	MaxOverflow int
	// PoolTimeout is how long a checkout waits for a free connection before
	// failing with ErrPoolTimeout. Default 30s; NoWait fails at once,
	// WaitForever waits as long as the context allows. The context passed
	// to Do bounds the wait in every case.
	PoolTimeout time.Duration
	// Prefill opens PoolSize connections in Open. Without it Open opens one
	// (to check servers, credentials and keyspace) and the rest on demand.
	Prefill bool

	// Timeout bounds each RPC (one Thrift call on the socket). Default 10s;
	// NoTimeout leaves only the context's deadline.
	Timeout time.Duration
	// DialTimeout bounds opening a connection: TCP, TLS, login and
	// set_keyspace. Default 5s; NoTimeout leaves only the context's deadline.
	DialTimeout time.Duration
	// Recycle closes and replaces a connection once it has run more than
	// this many RPCs. Default 10000; NoRecycle disables it.
	Recycle int

	// MaxRetries is how many times a failed operation is retried (so at most
	// MaxRetries+1 attempts), on a different server when one is up. Default
	// 5; NoRetries for one attempt; UnlimitedRetries to retry until the
	// context is done. Only timeouts, unavailable and transport errors are
	// retried.
	MaxRetries int
	// BackoffBase is the first pause before a retry; each further retry
	// doubles it, up to BackoffMax, with random jitter in [d/2, d].
	// Default 10ms.
	BackoffBase time.Duration
	// BackoffMax caps the pause between retries. Default 1s.
	BackoffMax time.Duration

	// ProbeInterval is the first pause before a server marked down is probed
	// again (describe_version on a fresh connection); it doubles after each
	// failed probe up to ProbeMax. Default 250ms.
	ProbeInterval time.Duration
	// ProbeMax caps the pause between probes of a down server. Default 30s.
	ProbeMax time.Duration

	// Credentials, when not nil, are sent with login on each new connection.
	Credentials Credentials
	// TLS, when not nil, wraps every connection in TLS with this
	// configuration. ServerName is filled from the address when empty.
	TLS *tls.Config
	// MaxFrameSize is the largest Thrift frame sent to or accepted from a
	// server, in bytes: the whole Thrift message (method name, sequence id
	// and arguments, or the reply) after the frame's 4-byte length, which
	// is how Cassandra counts thrift_framed_transport_size_in_mb. Default
	// 15 MiB, Cassandra's default. A request over it is refused before it
	// is sent with a *RequestTooLargeError, never retried. The transport is
	// always framed, as Cassandra requires since 0.7.
	MaxFrameSize int

	// Discover adds the other nodes of the cluster, read from describe_ring
	// of Keyspace, to the servers the pool uses. Needs Keyspace.
	Discover bool
	// TokenAware routes operations given a RoutingKey to a replica of the
	// key, using the ring (describe_ring) and the partitioner
	// (describe_partitioner). Needs Keyspace. It falls back to any server
	// when no replica is usable.
	TokenAware bool
	// RingRefresh is how often the ring is read again when Discover or
	// TokenAware is set. Default 0 reads it once, in Open.
	RingRefresh time.Duration

	// Name identifies the pool in events and logs (pycassa's logging_name).
	// Default "pool-N" with a process-unique N.
	Name string
	// Listeners receive the pool's events, synchronously, in order.
	Listeners []Listener
	// Logger, when not nil, receives one record per event (debug and info
	// levels). Nil is silent.
	Logger *slog.Logger
}

// settings is a Config with every default applied and every special value
// decoded, so the pool never looks at a raw Config again.
type settings struct {
	keyspace     string
	servers      []string
	serverList   func() []string
	poolSize     int
	maxConns     int // poolSize + overflow; a huge value when unlimited
	maxOverflow  int // as configured, for messages
	poolTimeout  time.Duration
	waitForever  bool
	prefill      bool
	timeout      time.Duration // 0 = none
	dialTimeout  time.Duration // 0 = none
	recycle      int           // 0 = never
	maxRetries   int           // -1 = unlimited
	backoffBase  time.Duration
	backoffMax   time.Duration
	probeBase    time.Duration
	probeMax     time.Duration
	credentials  Credentials
	tls          *tls.Config
	maxFrameSize int
	discover     bool
	tokenAware   bool
	ringRefresh  time.Duration
	name         string
	listeners    []Listener
	logger       *slog.Logger
}

// errConfig marks configuration errors returned by Open.
var errConfig = errors.New("pool: invalid config")

func (c *Config) settings() (*settings, error) {
	s := &settings{
		keyspace:    c.Keyspace,
		serverList:  c.ServerList,
		prefill:     c.Prefill,
		credentials: c.Credentials,
		tls:         c.TLS,
		discover:    c.Discover,
		tokenAware:  c.TokenAware,
		ringRefresh: c.RingRefresh,
		name:        c.Name,
		listeners:   append([]Listener(nil), c.Listeners...),
		logger:      c.Logger,
	}
	bad := func(field string, v any) error {
		return fmt.Errorf("%w: %s = %v", errConfig, field, v)
	}

	for _, a := range c.Servers {
		addr, err := NormalizeAddr(a)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errConfig, err)
		}
		s.servers = append(s.servers, addr)
	}

	switch {
	case c.PoolSize == 0:
		s.poolSize = DefaultPoolSize
	case c.PoolSize < 0:
		return nil, bad("PoolSize", c.PoolSize)
	default:
		s.poolSize = c.PoolSize
	}
	s.maxOverflow = c.MaxOverflow
	switch {
	case c.MaxOverflow == UnlimitedOverflow:
		s.maxConns = int(^uint(0) >> 2)
	case c.MaxOverflow < 0:
		return nil, bad("MaxOverflow", c.MaxOverflow)
	default:
		s.maxConns = s.poolSize + c.MaxOverflow
	}

	switch c.PoolTimeout {
	case 0:
		s.poolTimeout = DefaultPoolTimeout
	case NoWait:
		s.poolTimeout = 0
	case WaitForever:
		s.waitForever = true
	default:
		if c.PoolTimeout < 0 {
			return nil, bad("PoolTimeout", c.PoolTimeout)
		}
		s.poolTimeout = c.PoolTimeout
	}

	var err error
	if s.timeout, err = duration("Timeout", c.Timeout, DefaultTimeout); err != nil {
		return nil, err
	}
	if s.dialTimeout, err = duration("DialTimeout", c.DialTimeout, DefaultDialTimeout); err != nil {
		return nil, err
	}

	switch {
	case c.Recycle == 0:
		s.recycle = DefaultRecycle
	case c.Recycle == NoRecycle:
		s.recycle = 0
	case c.Recycle < 0:
		return nil, bad("Recycle", c.Recycle)
	default:
		s.recycle = c.Recycle
	}

	if s.maxRetries, err = retries(c.MaxRetries); err != nil {
		return nil, err
	}

	s.backoffBase = positive(c.BackoffBase, DefaultBackoffBase)
	s.backoffMax = positive(c.BackoffMax, DefaultBackoffMax)
	if s.backoffMax < s.backoffBase {
		s.backoffMax = s.backoffBase
	}
	s.probeBase = positive(c.ProbeInterval, DefaultProbeBase)
	s.probeMax = positive(c.ProbeMax, DefaultProbeMax)
	if s.probeMax < s.probeBase {
		s.probeMax = s.probeBase
	}
	switch {
	case c.MaxFrameSize == 0:
		s.maxFrameSize = DefaultMaxFrameSize
	case c.MaxFrameSize < 0:
		return nil, bad("MaxFrameSize", c.MaxFrameSize)
	default:
		s.maxFrameSize = c.MaxFrameSize
	}
	if (c.Discover || c.TokenAware) && c.Keyspace == "" {
		return nil, fmt.Errorf("%w: Discover and TokenAware need a Keyspace (describe_ring takes one)", errConfig)
	}
	return s, nil
}

// duration decodes a timeout field: 0 is def, NoTimeout is none (0).
func duration(field string, v, def time.Duration) (time.Duration, error) {
	switch {
	case v == 0:
		return def, nil
	case v == NoTimeout:
		return 0, nil
	case v < 0:
		return 0, fmt.Errorf("%w: %s = %v", errConfig, field, v)
	}
	return v, nil
}

// retries decodes a MaxRetries value: 0 is the default, -1 in the result
// means unlimited.
func retries(v int) (int, error) {
	switch {
	case v == 0:
		return DefaultMaxRetries, nil
	case v == NoRetries:
		return 0, nil
	case v == UnlimitedRetries:
		return -1, nil
	case v < 0:
		return 0, fmt.Errorf("%w: MaxRetries = %d", errConfig, v)
	}
	return v, nil
}

func positive(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

// NormalizeAddr returns the canonical "host:port" form of a server address:
// port 9160 when none is given, IPv6 hosts bracketed, host names lower-cased.
// The pool keys servers by this form, so "Cass1" and "cass1:9160" are one
// server.
func NormalizeAddr(addr string) (string, error) {
	return hostport.Normalize(addr, DefaultPort)
}
