package cqlexec

import (
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/server/internal/schema"
)

// What system.local reports about the software (SystemKeyspace.
// persistLocalMetadata): the newest 3.11 release, its CQL and native
// protocol versions, and the Thrift IDL version the Thrift side serves.
const (
	ReleaseVersion        = "3.11.17"
	CQLVersion            = "3.4.4"
	NativeProtocolVersion = "4"
	ThriftVersion         = "20.1.0"
	// Datacenter and Rack are SimpleSnitch's; the Node.js driver requires
	// its localDataCenter to name this data center.
	Datacenter = "datacenter1"
	Rack       = "rack1"
)

// virtualTables answers reads of the built-in system tables, which have
// no storage: system.local from the node's facts and the catalog's
// version, system_schema.* from the catalog, and every other built-in
// table (system.peers among them) with no rows, as a single node has.
// It is cqlquery's Env.Virtual.
type virtualTables struct {
	node      Node
	truncated *truncations
}

// Rows returns every row of the virtual table t, each a map from column
// name to its serialized value (absent or nil: null), in clustering order.
func (v *virtualTables) Rows(t *schema.Table) ([]map[string][]byte, error) {
	if t == nil || !t.Virtual {
		return nil, fmt.Errorf("cqlexec: %v is not a virtual table", t)
	}
	switch t.Keyspace {
	case "system_schema":
		rows, err := v.node.Catalog().SystemSchemaRows(t.Name)
		if err != nil {
			return nil, err
		}
		return packRows(t, rows)
	case "system":
		if t.Name == "local" {
			return packRows(t, []schema.Row{v.localRow()})
		}
	}
	return nil, nil
}

// Snapshot is cqlquery.VirtualSnapshots: system_schema's rows are those
// of one catalog, an immutable snapshot that every schema change replaces,
// so the catalog is their key and a read builds them only after a change;
// the other built-in tables of system but local have no rows. system.local
// (the schema version, truncation records) is built on every read.
func (v *virtualTables) Snapshot(t *schema.Table) (any, func() ([]map[string][]byte, error), bool) {
	if t == nil || !t.Virtual {
		return nil, nil, false
	}
	switch {
	case t.Keyspace == "system_schema":
		cat := v.node.Catalog()
		return cat, func() ([]map[string][]byte, error) {
			rows, err := cat.SystemSchemaRows(t.Name)
			if err != nil {
				return nil, err
			}
			return packRows(t, rows)
		}, true
	case t.Keyspace == "system" && t.Name != "local":
		return noRows{}, func() ([]map[string][]byte, error) { return nil, nil }, true
	}
	return nil, nil, false
}

// noRows is the snapshot key of a built-in table that is always empty.
type noRows struct{}

// localRow is system.local's one row.
func (v *virtualTables) localRow() schema.Row {
	info := v.node.Info()
	cat := v.node.Catalog()
	addr := info.Address.To4()
	if addr == nil {
		addr = info.Address.To16()
	}
	tokens := append([]string(nil), info.Tokens...)
	row := schema.Row{
		"key":                     "local",
		"bootstrapped":            "COMPLETED",
		"broadcast_address":       addr,
		"cluster_name":            info.ClusterName,
		"cql_version":             CQLVersion,
		"data_center":             Datacenter,
		"gossip_generation":       int32(info.Started.Unix()),
		"host_id":                 info.HostID,
		"listen_address":          addr,
		"native_protocol_version": NativeProtocolVersion,
		"partitioner":             v.node.Partitioner().Class(),
		"rack":                    Rack,
		"release_version":         ReleaseVersion,
		"rpc_address":             addr,
		"schema_version":          cat.VersionUUID(),
		"thrift_version":          ThriftVersion,
		"tokens":                  tokens,
	}
	if tr := v.truncated.records(cat); len(tr) > 0 {
		row["truncated_at"] = tr
	}
	return row
}

// packRows serializes typed rows with t's column types.
func packRows(t *schema.Table, rows []schema.Row) ([]map[string][]byte, error) {
	cols := t.AllColumns()
	out := make([]map[string][]byte, 0, len(rows))
	for _, r := range rows {
		m := make(map[string][]byte, len(cols))
		for _, c := range cols {
			val, ok := r[c.Name]
			if !ok || val == nil {
				continue
			}
			b, err := c.Type.Pack(val)
			if err != nil {
				return nil, fmt.Errorf("cqlexec: %s.%s column %s: %w", t.Keyspace, t.Name, c.Name, err)
			}
			m[c.Name] = b
		}
		out = append(out, m)
	}
	return out, nil
}

// truncations remembers the tables TRUNCATE emptied, for
// system.local.truncated_at (SystemKeyspace.saveTruncationRecord): table ID
// to the truncation record, a commit log position (segment, offset; zero
// here) and the time in milliseconds.
type truncations struct {
	mu sync.Mutex
	at map[uuid.UUID]int64
}

func (tr *truncations) record(t *schema.Table, when time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.at == nil {
		tr.at = make(map[uuid.UUID]int64)
	}
	tr.at[t.ID] = when.UnixMilli()
}

// records returns truncated_at for the tables that still exist in cat
// (a dropped table's record goes with it, SystemKeyspace.removeTruncationRecord).
func (tr *truncations) records(cat *schema.Catalog) map[uuid.UUID][]byte {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.at) == 0 {
		return nil
	}
	live := make(map[uuid.UUID]bool, len(tr.at))
	for _, k := range cat.Keyspaces() {
		for _, t := range k.Tables {
			live[t.ID] = true
		}
	}
	out := make(map[uuid.UUID][]byte, len(tr.at))
	for id, ms := range tr.at {
		if !live[id] {
			delete(tr.at, id)
			continue
		}
		// CommitLogPosition (segment id long, position int), truncatedAt long.
		b := make([]byte, 20)
		binary.BigEndian.PutUint64(b[12:], uint64(ms))
		out[id] = b
	}
	return out
}
