package schema

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// persisted is the MarshalBinary form (format 2): every keyspace but
// system with its user types and the full model of every stored table;
// a table Thrift lists also keeps its describe CfDef (Thrift binary: JSON
// would lose the difference between an empty and an absent map), from
// which its Thrift view is rebuilt exactly.
type persisted struct {
	Format    int                 `json:"format"`
	Keyspaces []persistedKeyspace `json:"keyspaces"`
}

type persistedKeyspace struct {
	// Format 1 (before the CQL model): the describe KsDef and table IDs.
	KsDef []byte               `json:"ksdef,omitempty"`
	IDs   map[string]uuid.UUID `json:"ids,omitempty"`

	Name     string            `json:"name,omitempty"`
	Strategy string            `json:"strategy,omitempty"`
	Options  map[string]string `json:"options,omitempty"`
	Durable  bool              `json:"durable,omitempty"`
	System   bool              `json:"system,omitempty"`
	Types    []string          `json:"types,omitempty"` // UserType classes
	Tables   []persistedTable  `json:"tables,omitempty"`

	def *thriftgen.KsDef
}

type persistedTable struct {
	Name     string            `json:"name"`
	ID       uuid.UUID         `json:"id"`
	Def      []byte            `json:"def,omitempty"`
	Super    bool              `json:"super,omitempty"`
	Counter  bool              `json:"counter,omitempty"`
	Dense    bool              `json:"dense,omitempty"`
	Compound bool              `json:"compound,omitempty"`
	Columns  []persistedColumn `json:"columns"`
	Params   TableParams       `json:"params"`
	Indexes  []*IndexMetadata  `json:"indexes,omitempty"`
	Dropped  []persistedDrop   `json:"dropped,omitempty"`
	Triggers []Trigger         `json:"triggers,omitempty"`
}

type persistedColumn struct {
	Name      string `json:"name"`
	NameBytes []byte `json:"bytes,omitempty"`
	Kind      int    `json:"kind"`
	Position  int    `json:"pos"`
	Type      string `json:"type"`
	Order     int    `json:"order,omitempty"`
}

type persistedDrop struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Kind int    `json:"kind"`
	Time int64  `json:"time"`
}

// persistTable encodes t's model (and its describe CfDef when Thrift
// lists it).
func persistTable(t *Table) (persistedTable, error) {
	p := persistedTable{Name: t.Name, ID: t.ID, Super: t.Super, Counter: t.Counter, Dense: t.Dense,
		Compound: t.Compound, Params: t.Params, Indexes: t.Indexes, Triggers: t.Triggers}
	if t.Def != nil {
		b, err := thrift.NewTSerializer().Write(context.Background(), t.Def)
		if err != nil {
			return p, err
		}
		p.Def = b
	}
	for _, c := range t.AllColumns() {
		p.Columns = append(p.Columns, persistedColumn{Name: c.Name, NameBytes: c.NameBytes, Kind: int(c.Kind),
			Position: c.Position, Type: c.Type.Class(), Order: int(c.Order)})
	}
	for _, d := range t.Dropped {
		p.Dropped = append(p.Dropped, persistedDrop{Name: d.Name, Type: d.Type.Class(), Kind: int(d.Kind), Time: d.DroppedTime})
	}
	return p, nil
}

// restoreTable rebuilds a table of keyspace ks from its persisted form.
func restoreTable(ks string, p persistedTable) (*Table, error) {
	t := &Table{Keyspace: ks, Name: p.Name, ID: p.ID, Super: p.Super, Counter: p.Counter, Dense: p.Dense,
		Compound: p.Compound, Params: p.Params, Indexes: p.Indexes, Triggers: p.Triggers}
	if t.Params.Extensions == nil {
		t.Params.Extensions = map[string][]byte{}
	}
	for _, c := range p.Columns {
		typ, err := codec.Parse(c.Type)
		if err != nil {
			return nil, err
		}
		def := &ColumnDefinition{Name: c.Name, NameBytes: c.NameBytes, Kind: ColumnKind(c.Kind),
			Position: c.Position, Type: typ, Order: ClusteringOrder(c.Order)}
		if def.NameBytes == nil {
			def.NameBytes = []byte{}
		}
		switch def.Kind {
		case PartitionKey:
			t.PartitionKey = append(t.PartitionKey, def)
		case Clustering:
			t.Clustering = append(t.Clustering, def)
		case Static:
			t.Statics = append(t.Statics, def)
		default:
			t.Regulars = append(t.Regulars, def)
		}
	}
	for _, d := range p.Dropped {
		typ, err := codec.Parse(d.Type)
		if err != nil {
			return nil, err
		}
		t.Dropped = append(t.Dropped, &DroppedColumn{Name: d.Name, Type: typ, Kind: ColumnKind(d.Kind), DroppedTime: d.Time})
	}
	if p.Def == nil {
		return t, t.derive()
	}
	def := thriftgen.NewCfDef()
	if err := thrift.NewTDeserializer().Read(context.Background(), def, p.Def); err != nil {
		return nil, err
	}
	d, err := fromThrift(def)
	if err != nil {
		return nil, err
	}
	th := d.finish(t.ID)
	t.Comparator, t.SubComparator = th.Comparator, th.SubComparator
	t.KeyValidator, t.DefaultValidator = th.KeyValidator, th.DefaultValidator
	t.Columns, t.byName, t.indexed = th.Columns, th.byName, th.indexed
	t.DefaultTTL, t.GCGraceSeconds, t.MinIndexInterval = th.DefaultTTL, th.GCGraceSeconds, th.MinIndexInterval
	t.Def = t.thriftDef()
	return t, nil
}

func persistKeyspace(k *Keyspace) (persistedKeyspace, error) {
	pk := persistedKeyspace{Name: k.Name, Strategy: k.StrategyClass, Options: k.StrategyOptions,
		Durable: k.DurableWrites, System: k.System}
	for _, n := range sortedKeys(k.Types) {
		pk.Types = append(pk.Types, k.Types[n].Class())
	}
	for _, t := range k.sortedTables() {
		pt, err := persistTable(t)
		if err != nil {
			return pk, fmt.Errorf("schema: encode table %s.%s: %w", k.Name, t.Name, err)
		}
		pk.Tables = append(pk.Tables, pt)
	}
	return pk, nil
}

// MarshalBinary encodes the catalog's keyspaces (all but system and
// system_schema, which never change), with their user types and tables,
// for persistence; Schema.Load restores it.
func (c *Catalog) MarshalBinary() ([]byte, error) {
	p := persisted{Format: 2}
	for _, k := range c.Keyspaces() {
		if isLocalSystemKeyspace(k.Name) {
			continue
		}
		pk, err := persistKeyspace(k)
		if err != nil {
			return nil, err
		}
		p.Keyspaces = append(p.Keyspaces, pk)
	}
	return json.Marshal(p)
}

// Load replaces every keyspace but system and system_schema with the ones
// encoded in data
// (from Catalog.MarshalBinary, of this or the previous format), keeping
// table IDs; it is for start-up recovery. The Change lists the old tables
// as Dropped and the loaded ones as Created, and goes through
// Options.Apply like any other change.
func (s *Schema) Load(data []byte) (*Change, error) {
	var p persisted
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("schema: load: %w", err)
	}
	for i := range p.Keyspaces {
		if p.Keyspaces[i].KsDef == nil {
			continue
		}
		// NewKsDef: fields equal to their IDL default are not on the wire.
		d := thriftgen.NewKsDef()
		if err := thrift.NewTDeserializer().Read(context.Background(), d, p.Keyspaces[i].KsDef); err != nil {
			return nil, fmt.Errorf("schema: load: %w", err)
		}
		p.Keyspaces[i].def = d
		p.Keyspaces[i].Name = d.Name
	}
	return s.change(func(old *Catalog) (*Change, error) {
		ch := &Change{Kind: Loaded}
		sys := systemKeyspaces()
		m := map[string]*Keyspace{"system": sys["system"], schemaKeyspaceName: sys[schemaKeyspaceName]}
		for _, k := range old.Keyspaces() {
			ch.Dropped = append(ch.Dropped, k.sortedTables()...)
		}
		for _, pk := range p.Keyspaces {
			if m[pk.Name] != nil {
				return nil, fmt.Errorf("schema: load: keyspace %q defined twice or reserved", pk.Name)
			}
			var ks *Keyspace
			var err error
			if pk.def != nil {
				ks, err = restoreKeyspaceV1(pk)
			} else {
				ks, err = restoreKeyspace(pk)
			}
			if err != nil {
				return nil, fmt.Errorf("schema: load: keyspace %q: %w", pk.Name, err)
			}
			ks.System = pk.System
			if b := sys[ks.Name]; b != nil && ks.System {
				ks.Virtual = b.Virtual
			}
			m[ks.Name] = ks
			ch.Created = append(ch.Created, ks.sortedTables()...)
		}
		ch.New = newCatalog(m)
		return ch, nil
	})
}

func restoreKeyspace(pk persistedKeyspace) (*Keyspace, error) {
	opts := copyMap(pk.Options)
	if opts == nil {
		opts = map[string]string{}
	}
	ks := &Keyspace{Name: pk.Name, StrategyClass: pk.Strategy, StrategyOptions: opts,
		DurableWrites: pk.Durable, Tables: map[string]*Table{}, Types: map[string]*codec.UserType{}}
	for _, class := range pk.Types {
		t, err := codec.Parse(class)
		if err != nil {
			return nil, err
		}
		u, ok := t.(*codec.UserType)
		if !ok {
			return nil, fmt.Errorf("%s is not a user type", class)
		}
		ks.Types[u.Name] = u
	}
	for _, ptab := range pk.Tables {
		t, err := restoreTable(pk.Name, ptab)
		if err != nil {
			return nil, fmt.Errorf("table %q: %w", ptab.Name, err)
		}
		ks.Tables[t.Name] = t
	}
	return ks, nil
}

// restoreKeyspaceV1 rebuilds a keyspace of format 1 through the same
// conversion and validation as system_add_keyspace, with the saved table IDs.
func restoreKeyspaceV1(pk persistedKeyspace) (*Keyspace, error) {
	def := pk.def
	strategy, err := strategyClass(def.StrategyClass)
	if err != nil {
		return nil, err
	}
	opts := copyMap(def.StrategyOptions)
	if opts == nil {
		opts = map[string]string{}
	}
	if err := validateKeyspace(def.Name, strategy, opts); err != nil {
		return nil, err
	}
	drafts, err := draftsOf(def.CfDefs)
	if err != nil {
		return nil, err
	}
	if err := validateDrafts(drafts); err != nil {
		return nil, err
	}
	ks := &Keyspace{Name: def.Name, StrategyClass: strategy, StrategyOptions: opts,
		DurableWrites: def.DurableWrites, Tables: map[string]*Table{}, Types: map[string]*codec.UserType{}}
	for _, d := range drafts {
		id, ok := pk.IDs[d.name]
		if !ok {
			id = uuid.New()
		}
		ks.Tables[d.name] = d.finishThrift(id)
	}
	return ks, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
