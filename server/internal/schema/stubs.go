package schema

import (
	"github.com/cassa-go/cassa/thriftgen"
	"github.com/google/uuid"
)

// Placeholders while the implementation lands; the API above is final.

func ire(msg string) *thriftgen.InvalidRequestException {
	return &thriftgen.InvalidRequestException{Why: msg}
}

func addKeyspace(old *Catalog, def *thriftgen.KsDef, newID func() uuid.UUID) (*Change, error) {
	return nil, ire("not implemented")
}
func updateKeyspace(old *Catalog, def *thriftgen.KsDef) (*Change, error) {
	return nil, ire("not implemented")
}
func dropKeyspace(old *Catalog, name string) (*Change, error) { return nil, ire("not implemented") }
func addTable(old *Catalog, def *thriftgen.CfDef, newID func() uuid.UUID) (*Change, error) {
	return nil, ire("not implemented")
}
func updateTable(old *Catalog, def *thriftgen.CfDef) (*Change, error) {
	return nil, ire("not implemented")
}
func dropTable(old *Catalog, ks, cf string) (*Change, error) { return nil, ire("not implemented") }
func systemKeyspaces() map[string]*Keyspace                  { return map[string]*Keyspace{} }
func computeVersion(c *Catalog) uuid.UUID                    { return uuid.NewMD5(uuid.Nil, nil) }
func copyCfDef(d *thriftgen.CfDef) *thriftgen.CfDef {
	c := *d
	return &c
}

// MarshalBinary encodes the catalog's user keyspaces (with table IDs) for
// persistence; Schema.Load restores it.
func (c *Catalog) MarshalBinary() ([]byte, error) { return nil, ire("not implemented") }

// Load replaces every user keyspace with the ones encoded in data (from
// Catalog.MarshalBinary), keeping table IDs. It is for start-up recovery.
func (s *Schema) Load(data []byte) (*Change, error) { return nil, ire("not implemented") }
