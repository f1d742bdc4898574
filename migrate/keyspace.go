package migrate

import (
	"context"
	"errors"
	"maps"
	"strconv"

	"github.com/cassa-go/cassa"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// KeyspaceDef describes a keyspace's replication. In CreateKeyspace a
// zero field means Cassandra's default; in AlterKeyspace it means "keep
// the current value".
type KeyspaceDef struct {
	// Strategy is the replication strategy class, short ("SimpleStrategy")
	// or fully qualified. CreateKeyspace defaults to SimpleStrategy.
	Strategy string
	// StrategyOptions are the strategy's options, e.g.
	// {"replication_factor": "3"} or {"dc1": "3", "dc2": "2"}.
	// CreateKeyspace with SimpleStrategy defaults to replication factor 1.
	StrategyOptions map[string]string
	// DurableWrites turns the commit log on or off for the keyspace.
	// CreateKeyspace defaults to true.
	DurableWrites *bool
}

// Simple returns the definition of a SimpleStrategy keyspace with replication
// factor rf.
func Simple(rf int) KeyspaceDef {
	return KeyspaceDef{Strategy: SimpleStrategy, StrategyOptions: map[string]string{"replication_factor": strconv.Itoa(rf)}}
}

// NetworkTopology returns the definition of a NetworkTopologyStrategy keyspace
// with the given replication factor per data center.
func NetworkTopology(rfByDC map[string]int) KeyspaceDef {
	o := KeyspaceDef{Strategy: NetworkTopologyStrategy, StrategyOptions: make(map[string]string, len(rfByDC))}
	for dc, rf := range rfByDC {
		o.StrategyOptions[dc] = strconv.Itoa(rf)
	}
	return o
}

// Ptr returns a pointer to v, for the optional fields of KeyspaceDef
// and Attributes: migrate.Ptr(false), migrate.Ptr[int32](3600).
func Ptr[T any](v T) *T { return &v }

// CreateKeyspace creates a keyspace with no column families. A strategy
// without a package gets org.apache.cassandra.locator.
func (s *SystemManager) CreateKeyspace(ctx context.Context, name string, opts KeyspaceDef) error {
	ks := tg.NewKsDef()
	ks.Name = name
	ks.StrategyClass = qualifyIn(locatorPkg, opts.Strategy)
	if ks.StrategyClass == "" {
		ks.StrategyClass = locatorPkg + SimpleStrategy
	}
	ks.StrategyOptions = maps.Clone(opts.StrategyOptions)
	if ks.StrategyOptions == nil && ks.StrategyClass == locatorPkg+SimpleStrategy {
		ks.StrategyOptions = map[string]string{"replication_factor": "1"}
	}
	if opts.DurableWrites != nil {
		ks.DurableWrites = *opts.DurableWrites
	}
	ks.CfDefs = []*tg.CfDef{}
	return s.change(ctx, "", func(ctx context.Context, c *tg.CassandraClient) (string, error) {
		return c.SystemAddKeyspace(ctx, ks)
	})
}

// AlterKeyspace reads the keyspace's definition and changes only what opts
// sets: a new strategy, new options (which replace the old ones whole), or
// durable writes.
func (s *SystemManager) AlterKeyspace(ctx context.Context, name string, opts KeyspaceDef) error {
	cur, err := s.DescribeKeyspace(ctx, name)
	if err != nil {
		return err
	}
	ks := tg.NewKsDef()
	ks.Name = cur.Name
	ks.StrategyClass = cur.StrategyClass
	ks.StrategyOptions = cur.StrategyOptions
	ks.DurableWrites = cur.DurableWrites
	ks.CfDefs = []*tg.CfDef{} // an update must not carry table definitions
	if opts.Strategy != "" {
		ks.StrategyClass = qualifyIn(locatorPkg, opts.Strategy)
	}
	if opts.StrategyOptions != nil {
		ks.StrategyOptions = maps.Clone(opts.StrategyOptions)
	}
	if opts.DurableWrites != nil {
		ks.DurableWrites = *opts.DurableWrites
	}
	return s.change(ctx, "", func(ctx context.Context, c *tg.CassandraClient) (string, error) {
		return c.SystemUpdateKeyspace(ctx, ks)
	})
}

// DropKeyspace drops a keyspace and all its data.
func (s *SystemManager) DropKeyspace(ctx context.Context, name string) error {
	return s.change(ctx, "", func(ctx context.Context, c *tg.CassandraClient) (string, error) {
		return c.SystemDropKeyspace(ctx, name)
	})
}

// DescribeKeyspace returns the keyspace's definition, its column families
// included. An unknown keyspace gives an error matching
// ErrKeyspaceNotFound.
func (s *SystemManager) DescribeKeyspace(ctx context.Context, name string) (*tg.KsDef, error) {
	var ks *tg.KsDef
	err := s.do(ctx, "", func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		ks, err = c.DescribeKeyspace(ctx, name)
		return err
	})
	if errors.Is(err, cassa.ErrNotFound) {
		return nil, &notFoundError{what: "keyspace " + name, is: ErrKeyspaceNotFound}
	}
	return ks, err
}

// notFoundError names what was not found and matches a sentinel.
type notFoundError struct {
	what string
	is   error
}

func (e *notFoundError) Error() string        { return "migrate: " + e.what + " not found" }
func (e *notFoundError) Is(target error) bool { return target == e.is }

// ListKeyspaces returns the names of every keyspace, system ones included.
func (s *SystemManager) ListKeyspaces(ctx context.Context) ([]string, error) {
	var names []string
	err := s.do(ctx, "", func(ctx context.Context, c *tg.CassandraClient) error {
		kss, err := c.DescribeKeyspaces(ctx)
		if err != nil {
			return err
		}
		names = make([]string, 0, len(kss))
		for _, ks := range kss {
			names = append(names, ks.Name)
		}
		return nil
	})
	return names, err
}

// KeyspaceProperties are a keyspace's replication settings as the server
// reports them (the strategy fully qualified).
type KeyspaceProperties struct {
	Strategy        string
	StrategyOptions map[string]string
	DurableWrites   bool
}

// GetKeyspaceProperties returns a keyspace's replication settings.
func (s *SystemManager) GetKeyspaceProperties(ctx context.Context, name string) (KeyspaceProperties, error) {
	ks, err := s.DescribeKeyspace(ctx, name)
	if err != nil {
		return KeyspaceProperties{}, err
	}
	return KeyspaceProperties{Strategy: ks.StrategyClass, StrategyOptions: ks.StrategyOptions, DurableWrites: ks.DurableWrites}, nil
}

// GetKeyspaceColumnFamilies returns the keyspace's column families by name.
func (s *SystemManager) GetKeyspaceColumnFamilies(ctx context.Context, name string) (map[string]*tg.CfDef, error) {
	ks, err := s.DescribeKeyspace(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*tg.CfDef, len(ks.CfDefs))
	for _, cf := range ks.CfDefs {
		out[cf.Name] = cf
	}
	return out, nil
}

// DescribeRing returns the token ranges of a keyspace and their endpoints.
func (s *SystemManager) DescribeRing(ctx context.Context, keyspace string) ([]*tg.TokenRange, error) {
	var r []*tg.TokenRange
	err := s.do(ctx, "", func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		r, err = c.DescribeRing(ctx, keyspace)
		return err
	})
	return r, err
}

// DescribeTokenMap returns each token of the ring and its node.
func (s *SystemManager) DescribeTokenMap(ctx context.Context) (map[string]string, error) {
	var r map[string]string
	err := s.do(ctx, "", func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		r, err = c.DescribeTokenMap(ctx)
		return err
	})
	return r, err
}

// describeString runs one describe_* call that returns a string.
func (s *SystemManager) describeString(ctx context.Context, fn func(c *tg.CassandraClient, ctx context.Context) (string, error)) (string, error) {
	var r string
	err := s.do(ctx, "", func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		r, err = fn(c, ctx)
		return err
	})
	return r, err
}

// DescribeClusterName returns the cluster's name.
func (s *SystemManager) DescribeClusterName(ctx context.Context) (string, error) {
	return s.describeString(ctx, (*tg.CassandraClient).DescribeClusterName)
}

// DescribeVersion returns the server's Thrift API version, e.g. "20.1.0".
func (s *SystemManager) DescribeVersion(ctx context.Context) (string, error) {
	return s.describeString(ctx, (*tg.CassandraClient).DescribeVersion)
}

// DescribePartitioner returns the partitioner's class name without its
// package, e.g. "Murmur3Partitioner", as pycassa does.
func (s *SystemManager) DescribePartitioner(ctx context.Context) (string, error) {
	r, err := s.describeString(ctx, (*tg.CassandraClient).DescribePartitioner)
	return shortClass(r), err
}

// DescribeSnitch returns the snitch's class name without its package, e.g.
// "SimpleSnitch", as pycassa does.
func (s *SystemManager) DescribeSnitch(ctx context.Context) (string, error) {
	r, err := s.describeString(ctx, (*tg.CassandraClient).DescribeSnitch)
	return shortClass(r), err
}

// DescribeSchemaVersions returns each schema version and the nodes that
// hold it; unreachable nodes are listed under "UNREACHABLE".
func (s *SystemManager) DescribeSchemaVersions(ctx context.Context) (map[string][]string, error) {
	var r map[string][]string
	err := s.do(ctx, "", func(ctx context.Context, c *tg.CassandraClient) error {
		var err error
		r, err = c.DescribeSchemaVersions(ctx)
		return err
	})
	return r, err
}
