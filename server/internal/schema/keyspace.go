package schema

import (
	"sort"
	"strconv"

	"github.com/cassa-go/cassa/codec"

	"github.com/cassa-go/cassa/thriftgen"
)

// LocalDatacenter is the datacenter SimpleSnitch puts the single node in.
const LocalDatacenter = "datacenter1"

// Fully qualified names of the replication strategies Cassandra ships.
const (
	SimpleStrategy             = "org.apache.cassandra.locator.SimpleStrategy"
	NetworkTopologyStrategy    = "org.apache.cassandra.locator.NetworkTopologyStrategy"
	OldNetworkTopologyStrategy = "org.apache.cassandra.locator.OldNetworkTopologyStrategy"
	LocalStrategy              = "org.apache.cassandra.locator.LocalStrategy"
)

// Table returns the column family with exactly this name, or nil.
func (k *Keyspace) Table(name string) *Table {
	if k == nil {
		return nil
	}
	return k.Tables[name]
}

// FindTable returns the stored or virtual table with exactly this name, or nil.
func (k *Keyspace) FindTable(name string) *Table {
	if k == nil {
		return nil
	}
	if t := k.Tables[name]; t != nil {
		return t
	}
	return k.Virtual[name]
}

// AllTables returns the stored and virtual tables sorted by name.
func (k *Keyspace) AllTables() []*Table {
	out := k.sortedTables()
	for _, t := range k.Virtual {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Type returns the user type with exactly this name, or nil.
func (k *Keyspace) Type(name string) *codec.UserType {
	if k == nil {
		return nil
	}
	return k.Types[name]
}

// TableNames returns the column family names in ascending order.
func (k *Keyspace) TableNames() []string {
	names := make([]string, 0, len(k.Tables))
	for n := range k.Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (k *Keyspace) sortedTables() []*Table {
	names := k.TableNames()
	out := make([]*Table, len(names))
	for i, n := range names {
		out[i] = k.Tables[n]
	}
	return out
}

// Def is describe_keyspace (ThriftConversion.toThrift): a fresh KsDef with
// the fully qualified strategy class, the strategy options as stored,
// durable_writes and the CfDef of every Thrift-compatible (compact) table,
// built-in system tables included, sorted by name. The caller may modify
// the result.
func (k *Keyspace) Def() *thriftgen.KsDef {
	d := &thriftgen.KsDef{
		Name:            k.Name,
		StrategyClass:   k.StrategyClass,
		StrategyOptions: copyMap(k.StrategyOptions),
		CfDefs:          []*thriftgen.CfDef{},
		DurableWrites:   k.DurableWrites,
	}
	if d.StrategyOptions == nil {
		d.StrategyOptions = map[string]string{}
	}
	for _, t := range k.AllTables() {
		if t.Def != nil {
			d.CfDefs = append(d.CfDefs, copyCfDef(t.Def))
		}
	}
	return d
}

// HasRing reports whether describe_ring may answer for this keyspace; it is
// false for LocalStrategy keyspaces such as system ("There is no ring for
// the keyspace").
func (k *Keyspace) HasRing() bool { return k.StrategyClass != LocalStrategy }

// ReplicationFactor is the keyspace's total replica count, what QUORUM and
// ALL are computed from: SimpleStrategy's and OldNetworkTopologyStrategy's
// replication_factor, the sum over datacenters for NetworkTopologyStrategy,
// and 1 for LocalStrategy.
func (k *Keyspace) ReplicationFactor() int {
	if k.StrategyClass == NetworkTopologyStrategy {
		n := 0
		for _, rf := range k.DatacenterReplicationFactors() {
			n += rf
		}
		return n
	}
	return k.LocalReplicationFactor()
}

// LocalReplicationFactor is the replica count in LocalDatacenter, what
// LOCAL_QUORUM is computed from. Only this node exists, so one replica is
// live exactly when this is at least 1.
func (k *Keyspace) LocalReplicationFactor() int {
	switch k.StrategyClass {
	case LocalStrategy:
		return 1
	case NetworkTopologyStrategy:
		return k.DatacenterReplicationFactors()[LocalDatacenter]
	default:
		rf, _ := parseRF(k.StrategyOptions["replication_factor"])
		return rf
	}
}

// DatacenterReplicationFactors returns the replica count per datacenter,
// what EACH_QUORUM is computed from. Strategies that are not
// NetworkTopologyStrategy put every replica in LocalDatacenter.
func (k *Keyspace) DatacenterReplicationFactors() map[string]int {
	if k.StrategyClass != NetworkTopologyStrategy {
		return map[string]int{LocalDatacenter: k.LocalReplicationFactor()}
	}
	out := make(map[string]int, len(k.StrategyOptions))
	for dc, v := range k.StrategyOptions {
		if dc == "replication_factor" { // not a datacenter (refused on create)
			continue
		}
		rf, _ := parseRF(v)
		out[dc] = rf
	}
	return out
}

// parseRF parses a replication factor the way Integer.parseInt does,
// returning ok=false for anything Java would refuse.
func parseRF(s string) (int, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, false
	}
	return int(n), true
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// copyCfDef deep-copies a describe CfDef so callers may modify the result
// without touching the catalog.
func copyCfDef(d *thriftgen.CfDef) *thriftgen.CfDef {
	c := *d
	cpS := func(p *string) *string {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	cpI := func(p *int32) *int32 {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	cpF := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	c.SubcomparatorType, c.Comment = cpS(d.SubcomparatorType), cpS(d.Comment)
	c.DefaultValidationClass, c.KeyValidationClass = cpS(d.DefaultValidationClass), cpS(d.KeyValidationClass)
	c.CompactionStrategy = cpS(d.CompactionStrategy)
	c.ReadRepairChance, c.BloomFilterFpChance = cpF(d.ReadRepairChance), cpF(d.BloomFilterFpChance)
	c.GcGraceSeconds, c.ID = cpI(d.GcGraceSeconds), cpI(d.ID)
	c.MinCompactionThreshold, c.MaxCompactionThreshold = cpI(d.MinCompactionThreshold), cpI(d.MaxCompactionThreshold)
	c.MemtableFlushPeriodInMs, c.DefaultTimeToLive = cpI(d.MemtableFlushPeriodInMs), cpI(d.DefaultTimeToLive)
	c.MinIndexInterval, c.MaxIndexInterval = cpI(d.MinIndexInterval), cpI(d.MaxIndexInterval)
	c.KeyAlias = append([]byte(nil), d.KeyAlias...)
	c.CompactionStrategyOptions = copyMap(d.CompactionStrategyOptions)
	c.CompressionOptions = copyMap(d.CompressionOptions)
	if d.ColumnMetadata != nil {
		c.ColumnMetadata = make([]*thriftgen.ColumnDef, len(d.ColumnMetadata))
		for i, cd := range d.ColumnMetadata {
			x := *cd
			x.Name = append([]byte(nil), cd.Name...)
			x.IndexName = cpS(cd.IndexName)
			if cd.IndexType != nil {
				t := *cd.IndexType
				x.IndexType = &t
			}
			x.IndexOptions = copyMap(cd.IndexOptions)
			c.ColumnMetadata[i] = &x
		}
	}
	if d.Triggers != nil {
		c.Triggers = make([]*thriftgen.TriggerDef, len(d.Triggers))
		for i, t := range d.Triggers {
			c.Triggers[i] = &thriftgen.TriggerDef{Name: t.Name, Options: copyMap(t.Options)}
		}
	}
	return &c
}
