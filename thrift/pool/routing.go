package pool

import (
	"context"
	"fmt"
	"net"
	"sort"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/thriftgen"
)

// ring maps tokens to the hosts that own them, built from describe_ring.
// describe_ring lists one range per (virtual) node token, so with vnodes
// it simply has many ranges; the owner of token t is the range (prev, end]
// containing t, i.e. the first range end >= t, wrapping to the first range.
type ring struct {
	part   partitioner.Partitioner
	ends   []partitioner.Token // sorted range end tokens
	owners [][]*host           // owners[i]: replicas of (ends[i-1], ends[i]]
}

// replicas returns the hosts holding key, in ring order; nil when the ring
// knows none of them.
func (r *ring) replicas(key []byte) []*host {
	if r == nil || len(r.ends) == 0 {
		return nil
	}
	return r.owners[r.index(r.part.Token(key))]
}

func (r *ring) index(t partitioner.Token) int {
	i := sort.Search(len(r.ends), func(i int) bool { return r.ends[i].Compare(t) >= 0 })
	if i == len(r.ends) {
		i = 0 // past the last end: the range that wraps around
	}
	return i
}

// buildRing turns describe_ring's ranges into a ring over known hosts.
// addr maps an endpoint to a known host (nil when unknown).
func buildRing(part partitioner.Partitioner, ranges []*thriftgen.TokenRange, addr func(string) *host) (*ring, error) {
	type entry struct {
		end    partitioner.Token
		owners []*host
	}
	entries := make([]entry, 0, len(ranges))
	for _, tr := range ranges {
		if tr == nil {
			continue
		}
		end, err := part.ParseToken(tr.EndToken)
		if err != nil {
			return nil, fmt.Errorf("pool: describe_ring end token %q: %w", tr.EndToken, err)
		}
		var owners []*host
		for _, ep := range endpoints(tr) {
			if h := addr(ep); h != nil {
				owners = append(owners, h)
			}
		}
		entries = append(entries, entry{end, owners})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].end.Compare(entries[j].end) < 0 })
	r := &ring{part: part}
	for _, e := range entries {
		r.ends = append(r.ends, e.end)
		r.owners = append(r.owners, e.owners)
	}
	return r, nil
}

// endpoints returns the addresses clients should use for a range: the rpc
// endpoints when the server gives usable ones (rpc_address 0.0.0.0 is
// not), else the gossip endpoints.
func endpoints(tr *thriftgen.TokenRange) []string {
	if len(tr.RPCEndpoints) == len(tr.Endpoints) {
		usable := true
		for _, e := range tr.RPCEndpoints {
			if ip := net.ParseIP(e); e == "" || (ip != nil && ip.IsUnspecified()) {
				usable = false
			}
		}
		if usable {
			return tr.RPCEndpoints
		}
	}
	return tr.Endpoints
}

// refreshRing reads describe_ring (and describe_partitioner for routing)
// through the pool, adds newly seen nodes when Discover is on, and installs
// the ring when TokenAware is on. Endpoints are taken to listen on the port
// of the server that answered, as Cassandra nodes of one cluster do.
func (p *Pool) refreshRing(ctx context.Context) error {
	var (
		ranges   []*thriftgen.TokenRange
		partName string
		port     string
	)
	err := p.Do(ctx, func(ctx context.Context, c *Conn) error {
		rs, err := c.Client().DescribeRing(ctx, p.s.keyspace)
		if err != nil {
			return err
		}
		if p.s.tokenAware {
			if partName, err = c.Client().DescribePartitioner(ctx); err != nil {
				return err
			}
		}
		ranges = rs
		_, port, _ = net.SplitHostPort(c.Server())
		return nil
	})
	if err != nil {
		return fmt.Errorf("pool: reading the ring: %w", err)
	}
	toAddr := func(ep string) string {
		a, err := NormalizeAddr(net.JoinHostPort(ep, port))
		if err != nil {
			return ""
		}
		return a
	}
	known := p.hostsByIP(ctx)
	if p.s.discover {
		var found []string
		for _, tr := range ranges {
			for _, ep := range endpoints(tr) {
				if a := toAddr(ep); a != "" && known[a] == nil {
					found = append(found, a)
				}
			}
		}
		if len(found) > 0 {
			p.addServers(found, false)
			known = p.hostsByIP(ctx)
		}
	}
	if !p.s.tokenAware {
		return nil
	}
	part, err := partitioner.ByName(partName)
	if err != nil {
		return fmt.Errorf("pool: token-aware routing: %w", err)
	}
	r, err := buildRing(part, ranges, func(ep string) *host { return known[toAddr(ep)] })
	if err != nil {
		return err
	}
	p.ring.Store(r)
	return nil
}

// hostsByIP maps "ip:port" to the known hosts, resolving host names, so
// that ring endpoints (always IPs) find a server the config named by name
// rather than becoming a second entry for the same node (Hector #37).
func (p *Pool) hostsByIP(ctx context.Context) map[string]*host {
	p.mu.Lock()
	hosts := append([]*host(nil), p.hosts...)
	p.mu.Unlock()
	m := make(map[string]*host, len(hosts))
	for _, h := range hosts {
		m[h.addr] = h
	}
	for _, h := range hosts {
		name, port, _ := net.SplitHostPort(h.addr)
		if net.ParseIP(name) != nil {
			continue
		}
		ips, err := net.DefaultResolver.LookupHost(ctx, name)
		if err != nil {
			continue
		}
		for _, ip := range ips {
			if a, err := NormalizeAddr(net.JoinHostPort(ip, port)); err == nil && m[a] == nil {
				m[a] = h
			}
		}
	}
	return m
}
