package schema

import (
	"encoding/json"
	"errors"

	"github.com/google/uuid"
)

// Op is one CQL schema statement as plain data, so that a commit log can
// record it and replay it to the same catalog: exactly one field is set.
// Fill resolves what would differ between the original run and a replay
// (a new table's ID, the drop time of ALTER TABLE DROP) before logging.
type Op struct {
	CreateKeyspace *CreateKeyspace `json:"create_keyspace,omitempty"`
	AlterKeyspace  *AlterKeyspace  `json:"alter_keyspace,omitempty"`
	DropKeyspace   *DropKeyspace   `json:"drop_keyspace,omitempty"`
	CreateTable    *CreateTable    `json:"create_table,omitempty"`
	AlterTable     *AlterTable     `json:"alter_table,omitempty"`
	DropTable      *DropTable      `json:"drop_table,omitempty"`
	CreateIndex    *CreateIndex    `json:"create_index,omitempty"`
	DropIndex      *DropIndex      `json:"drop_index,omitempty"`
	CreateType     *CreateType     `json:"create_type,omitempty"`
	AlterType      *AlterUserType  `json:"alter_type,omitempty"`
	DropType       *DropType       `json:"drop_type,omitempty"`
}

// ErrEmptyOp is returned by Apply for an Op with no statement.
var ErrEmptyOp = errors.New("schema: empty schema op")

// Fill sets the values a replay must not choose again: the ID of a new
// table (newID, or a fresh time UUID when nil) and the drop time of ALTER
// TABLE DROP (nowMicros) when the statement left them unset.
func (o *Op) Fill(nowMicros int64, newID func() uuid.UUID) {
	if o.CreateTable != nil && o.CreateTable.ID == nil {
		var id uuid.UUID
		if newID != nil {
			id = newID()
		} else if u, err := uuid.NewUUID(); err == nil {
			id = u
		} else {
			id = uuid.New()
		}
		o.CreateTable.ID = &id
	}
	if o.AlterTable != nil && o.AlterTable.Kind == AlterDrop && o.AlterTable.Timestamp == 0 {
		o.AlterTable.Timestamp = nowMicros
	}
}

// MarshalBinary encodes the op (JSON).
func (o Op) MarshalBinary() ([]byte, error) { return json.Marshal(o) }

// UnmarshalBinary decodes what MarshalBinary wrote.
func (o *Op) UnmarshalBinary(b []byte) error { return json.Unmarshal(b, o) }

// Apply runs the op's statement.
func (s *Schema) Apply(o Op) (*Change, error) {
	switch {
	case o.CreateKeyspace != nil:
		return s.CreateKeyspace(*o.CreateKeyspace)
	case o.AlterKeyspace != nil:
		return s.AlterKeyspace(*o.AlterKeyspace)
	case o.DropKeyspace != nil:
		return s.DropKeyspaceCQL(*o.DropKeyspace)
	case o.CreateTable != nil:
		return s.CreateTable(*o.CreateTable)
	case o.AlterTable != nil:
		return s.AlterTable(*o.AlterTable)
	case o.DropTable != nil:
		return s.DropTableCQL(*o.DropTable)
	case o.CreateIndex != nil:
		return s.CreateIndex(*o.CreateIndex)
	case o.DropIndex != nil:
		return s.DropIndex(*o.DropIndex)
	case o.CreateType != nil:
		return s.CreateType(*o.CreateType)
	case o.AlterType != nil:
		return s.AlterType(*o.AlterType)
	case o.DropType != nil:
		return s.DropType(*o.DropType)
	}
	return nil, ErrEmptyOp
}
