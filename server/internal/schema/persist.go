package schema

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// persisted is the MarshalBinary form: every keyspace but system (which
// never changes) as describe reports it, Thrift binary encoded (JSON would
// lose the difference between an empty and an absent map), with the table
// IDs describe leaves out.
type persisted struct {
	Keyspaces []persistedKeyspace `json:"keyspaces"`
}

type persistedKeyspace struct {
	KsDef  []byte               `json:"ksdef"`
	IDs    map[string]uuid.UUID `json:"ids"`
	System bool                 `json:"system,omitempty"`

	def *thriftgen.KsDef
}

// MarshalBinary encodes the catalog's keyspaces (all but system, which never
// changes), with their table IDs, for persistence; Schema.Load restores it.
func (c *Catalog) MarshalBinary() ([]byte, error) {
	var p persisted
	for _, k := range c.Keyspaces() {
		if k.Name == "system" {
			continue
		}
		b, err := thrift.NewTSerializer().Write(context.Background(), k.Def())
		if err != nil {
			return nil, fmt.Errorf("schema: encode keyspace %q: %w", k.Name, err)
		}
		pk := persistedKeyspace{KsDef: b, IDs: map[string]uuid.UUID{}, System: k.System}
		for n, t := range k.Tables {
			pk.IDs[n] = t.ID
		}
		p.Keyspaces = append(p.Keyspaces, pk)
	}
	return json.Marshal(p)
}

// Load replaces every keyspace but system with the ones encoded in data
// (from Catalog.MarshalBinary), keeping table IDs; it is for start-up
// recovery. The Change lists the old tables as Dropped and the loaded ones
// as Created, and goes through Options.Apply like any other change.
func (s *Schema) Load(data []byte) (*Change, error) {
	var p persisted
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("schema: load: %w", err)
	}
	for i := range p.Keyspaces {
		// NewKsDef: fields equal to their IDL default are not on the wire.
		d := thriftgen.NewKsDef()
		if err := thrift.NewTDeserializer().Read(context.Background(), d, p.Keyspaces[i].KsDef); err != nil {
			return nil, fmt.Errorf("schema: load: %w", err)
		}
		p.Keyspaces[i].def = d
	}
	return s.change(func(old *Catalog) (*Change, error) {
		ch := &Change{Kind: Loaded}
		m := map[string]*Keyspace{"system": systemKeyspaces()["system"]}
		for _, k := range old.Keyspaces() {
			ch.Dropped = append(ch.Dropped, k.sortedTables()...)
		}
		for _, pk := range p.Keyspaces {
			if m[pk.def.Name] != nil {
				return nil, fmt.Errorf("schema: load: keyspace %q defined twice or reserved", pk.def.Name)
			}
			ks, err := restoreKeyspace(pk)
			if err != nil {
				return nil, fmt.Errorf("schema: load: keyspace %q: %w", pk.def.Name, err)
			}
			ks.System = pk.System
			m[ks.Name] = ks
			ch.Created = append(ch.Created, ks.sortedTables()...)
		}
		ch.New = newCatalog(m)
		return ch, nil
	})
}

// restoreKeyspace rebuilds one keyspace through the same conversion and
// validation as system_add_keyspace, with the saved table IDs.
func restoreKeyspace(pk persistedKeyspace) (*Keyspace, error) {
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
		DurableWrites: def.DurableWrites, Tables: map[string]*Table{}}
	for _, d := range drafts {
		id, ok := pk.IDs[d.name]
		if !ok {
			id = uuid.New()
		}
		ks.Tables[d.name] = d.finish(id)
	}
	return ks, nil
}
