package server

import (
	"crypto/rand"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/expiry"
	"github.com/cassa-go/cassa/server/internal/layout"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// defaultTokenKey is hashed to make the single default token of the
// Murmur3, Random and OrderPreserving partitioners, so that a node's ring
// is the same on every start.
const defaultTokenKey = "cassa"

// randomTokenSize is the length of ByteOrderedPartitioner.getRandomToken's
// token: 16 random bytes.
const randomTokenSize = 16

// localEndpoint is this node's address as describe_ring and
// describe_schema_versions report it (listen_address and rpc_address).
const localEndpoint = "127.0.0.1"

// node is the single Cassandra node behind a Server: its ring, schema and
// storage. Connections share it.
type node struct {
	cfg    Config
	part   partitioner.Partitioner
	tokens []partitioner.Token // ascending
	schema *schema.Schema
	store  *store.Store

	// ddl makes a schema change and the storage change that follows it
	// atomic with respect to requests: every request holds it shared from
	// its catalog lookup to its last storage access; system_* holds it
	// exclusively.
	ddl sync.RWMutex

	// w is the write path. Every data write, truncate and schema change
	// goes through it, so a commit log can wrap it.
	w writer
}

func newNode(cfg Config) (*node, error) {
	p, err := partitioner.ByName(cfg.Partitioner)
	if err != nil {
		return nil, &ConfigError{Field: "Partitioner", Msg: err.Error()}
	}
	n := &node{cfg: cfg, part: p}
	if len(cfg.Tokens) == 0 {
		t, err := defaultToken(p)
		if err != nil {
			return nil, err
		}
		n.tokens = []partitioner.Token{t}
	} else {
		for _, s := range cfg.Tokens {
			t, err := p.ParseToken(s)
			if err != nil {
				return nil, &ConfigError{Field: "Tokens", Msg: err.Error()}
			}
			n.tokens = append(n.tokens, t)
		}
		sort.Slice(n.tokens, func(i, j int) bool { return n.tokens[i].Compare(n.tokens[j]) < 0 })
		for i := 1; i < len(n.tokens); i++ {
			if n.tokens[i].Compare(n.tokens[i-1]) == 0 {
				return nil, &ConfigError{Field: "Tokens", Msg: fmt.Sprintf("duplicate token %s", n.tokens[i])}
			}
		}
	}
	n.store = store.New(p, store.Options{Clock: clockFunc(cfg.Clock),
		Expiry: expiry.NewGuard(cfg.ExpirationDateOverflowPolicy.policy(), cfg.Logger)})
	n.schema = schema.New(schema.Options{Apply: n.followSchema})
	n.w = localWriter{n}
	return n, nil
}

// defaultToken is the token of a node without Config.Tokens. A
// ByteOrderedPartitioner node takes a random 16-byte token, as Cassandra
// 3.11's bootstrap does without initial_token
// (BootStrapper.getRandomTokens, ByteOrderedPartitioner.getRandomToken);
// with a DataDir it is saved there and reused, as Cassandra reuses the
// tokens saved in system.local. The other partitioners get a fixed token,
// the hash of defaultTokenKey: on a single node with one token its value
// is visible only in describe_ring, describe_token_map and system.local,
// and a fixed value keeps those stable from one start to the next.
func defaultToken(p partitioner.Partitioner) (partitioner.Token, error) {
	if _, ok := p.(partitioner.ByteOrderedPartitioner); !ok {
		return p.Token([]byte(defaultTokenKey)), nil
	}
	b := make([]byte, randomTokenSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("server: random token: %w", err)
	}
	return partitioner.BytesToken(b), nil
}

// hasRandomToken reports whether the node's token was drawn at random
// (see defaultToken), so that a durable node keeps it across restarts.
func (n *node) hasRandomToken() bool {
	_, bop := n.part.(partitioner.ByteOrderedPartitioner)
	return bop && len(n.cfg.Tokens) == 0
}

// clockFunc adapts Config.Clock to the store's Clock.
type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

// followSchema is the schema's Apply hook: it runs under the schema lock,
// before the new catalog is published, and makes storage follow.
func (n *node) followSchema(ch *schema.Change) error {
	for _, t := range ch.Dropped {
		n.store.DropTable(t)
	}
	for _, t := range ch.Created {
		n.store.CreateTable(t)
	}
	for _, u := range ch.Updated {
		if u.LayoutChanged {
			if err := n.uncompact(u.Old, u.New); err != nil {
				return err
			}
			continue
		}
		n.store.UpdateTable(u.Old, u.New)
	}
	return nil
}

// uncompact moves a table's cells to the layout ALTER TABLE ... DROP
// COMPACT STORAGE gives it (layout.Uncompact): every row is exported,
// renamed, and applied to the table made again under its new definition.
// It runs under the schema lock and the node's ddl lock, and the same way
// when the commit log replays the statement.
func (n *node) uncompact(old, updated *schema.Table) error {
	u := &layout.Uncompact{Clustering: len(updated.Clustering), Comparator: old.Comparator}
	switch {
	case old.IsStaticCompact():
		u.Shape = layout.StaticCompact
		for _, c := range old.Statics {
			u.Declared = append(u.Declared, c.NameBytes)
		}
	case old.Compound:
		u.Shape = layout.DenseCompound
	default:
		u.Shape = layout.DenseSimple
	}
	if v := old.CompactValueColumn(); v != nil {
		u.Value = v.NameBytes
	}
	var muts []store.RowMutation
	err := n.store.Export(old, func(m store.RowMutation) error {
		ops, err := u.Ops(m.Ops)
		if err != nil {
			return err
		}
		if len(ops) > 0 {
			muts = append(muts, store.NewRowMutation(updated, m.Key, ops...))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("server: DROP COMPACT STORAGE of %s.%s: %w", old.Keyspace, old.Name, err)
	}
	n.store.DropTable(old)
	n.store.CreateTable(updated)
	return n.store.Apply(muts...)
}

// schemaOp is one system_* call, as plain data a commit log can record.
type schemaOp struct {
	Kind     schema.ChangeKind
	KsDef    *tg.KsDef // KeyspaceAdded, KeyspaceUpdated
	CfDef    *tg.CfDef // TableAdded, TableUpdated
	Keyspace string    // KeyspaceDropped, TableDropped
	Table    string    // TableDropped

	// CQL, when set, is a CQL schema statement; Kind and the Thrift
	// fields are then unused.
	CQL *schema.Op
}

// writer is the node's write path: the one interface every change to data
// or schema passes through. The local implementation applies to memory; a
// commit log wraps it (log first, then apply).
type writer interface {
	// Apply applies validated row mutations, each row atomically.
	Apply(muts []store.RowMutation) error
	// Cas runs a compare-and-set on one row; on success the updates are
	// written with the store's ballot timestamp.
	Cas(t *schema.Table, key []byte, expected, updates []*tg.Column) (*tg.CASResult_, error)
	// ReadModifyWrite runs fn on one partition locked for writing and
	// writes the ops it returns before unlocking (CQL's lightweight
	// transactions; Cas holds the same lock).
	ReadModifyWrite(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error
	// Truncate empties a table.
	Truncate(t *schema.Table) error
	// ChangeSchema runs one schema change and the storage change that
	// follows it.
	ChangeSchema(op schemaOp) (*schema.Change, error)
}

// localWriter applies straight to the in-memory schema and store.
type localWriter struct{ n *node }

func (w localWriter) Apply(muts []store.RowMutation) error { return w.n.store.Apply(muts...) }

func (w localWriter) Cas(t *schema.Table, key []byte, expected, updates []*tg.Column) (*tg.CASResult_, error) {
	return w.n.store.Cas(t, key, expected, updates)
}

func (w localWriter) ReadModifyWrite(t *schema.Table, key []byte, fn func(*store.Partition) ([]store.Op, error)) error {
	return w.n.store.ReadModifyWrite(t, key, fn, nil)
}

func (w localWriter) Truncate(t *schema.Table) error { return w.n.store.Truncate(t) }

func (w localWriter) ChangeSchema(op schemaOp) (*schema.Change, error) {
	s := w.n.schema
	if op.CQL != nil {
		return s.Apply(*op.CQL)
	}
	switch op.Kind {
	case schema.KeyspaceAdded:
		return s.AddKeyspace(op.KsDef)
	case schema.KeyspaceUpdated:
		return s.UpdateKeyspace(op.KsDef)
	case schema.KeyspaceDropped:
		return s.DropKeyspace(op.Keyspace)
	case schema.TableAdded:
		return s.AddTable(op.CfDef)
	case schema.TableUpdated:
		return s.UpdateTable(op.CfDef)
	case schema.TableDropped:
		return s.DropTable(op.Keyspace, op.Table)
	}
	return nil, fmt.Errorf("server: unknown schema change %v", op.Kind)
}
