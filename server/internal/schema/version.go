package schema

import (
	"crypto/md5"
	"encoding/json"
	"sort"

	"github.com/google/uuid"
)

// canonicalKeyspace is what the version digest covers for a keyspace;
// encoding/json sorts map keys, so the encoding is deterministic.
type canonicalKeyspace struct {
	Name     string
	Strategy string
	Options  map[string]string
	Durable  bool
	Types    []string
}

// computeVersion digests the canonical schema (keyspaces, their user types
// and every table's model and describe CfDef in name order; table IDs and
// dropped columns left out, so identical schemas agree) and returns it as
// UUID.nameUUIDFromBytes(digest), as Cassandra's Schema.updateVersion does.
func computeVersion(c *Catalog) uuid.UUID {
	h := md5.New()
	for _, k := range c.Keyspaces() {
		ck := canonicalKeyspace{k.Name, k.StrategyClass, k.StrategyOptions, k.DurableWrites, nil}
		for _, n := range sortedKeys(k.Types) {
			ck.Types = append(ck.Types, k.Types[n].Class())
		}
		b, _ := json.Marshal(ck)
		h.Write(b)
		for _, t := range k.sortedTables() {
			pt, err := persistTable(t)
			if err != nil {
				continue
			}
			pt.ID, pt.Dropped, pt.Def = uuid.Nil, nil, nil
			b, _ := json.Marshal(pt)
			h.Write(b)
			b, _ = json.Marshal(t.Def) // JSON sorts map keys; Thrift binary would not
			h.Write(b)
		}
	}
	return nameUUID(h.Sum(nil))
}

// nameUUID is Java's UUID.nameUUIDFromBytes: MD5 with version 3 and the
// IETF variant set.
func nameUUID(name []byte) uuid.UUID {
	u := uuid.UUID(md5.Sum(name))
	u[6] = u[6]&0x0f | 0x30
	u[8] = u[8]&0x3f | 0x80
	return u
}

func sortStrings(s []string) { sort.Strings(s) }
