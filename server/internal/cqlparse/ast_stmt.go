package cqlparse

// ---------------------------------------------------------------------------
// Data manipulation

// SelectStmt is SELECT.
type SelectStmt struct {
	JSON     bool
	Distinct bool
	// Selectors is nil for SELECT *.
	Selectors         []SelectItem
	Table             QualifiedName
	Where             []Relation
	GroupBy           []Ident
	OrderBy           []Ordering // a column ordered twice appears once, as in Cassandra
	PerPartitionLimit Term       // nil, an integer literal or a bind marker
	Limit             Term
	AllowFiltering    bool
}

// InsertStmt is INSERT INTO t (cols) VALUES (...) or INSERT INTO t JSON ....
type InsertStmt struct {
	Table   QualifiedName
	Columns []Ident
	Values  []Term
	// JSON is the JSON document (a string *Literal or a *BindMarker) of
	// INSERT ... JSON; Columns and Values are then empty.
	JSON         Term
	DefaultUnset bool // JSON ... DEFAULT UNSET (DEFAULT NULL is the default)
	IfNotExists  bool
	Using        Using
}

// UpdateStmt is UPDATE.
type UpdateStmt struct {
	Table      QualifiedName
	Using      Using
	Set        []Assignment
	Where      []Relation
	IfExists   bool
	Conditions []Condition
}

// DeleteStmt is DELETE.
type DeleteStmt struct {
	Columns    []Deletion // empty: the whole row, range or partition
	Table      QualifiedName
	Using      Using // only TIMESTAMP
	Where      []Relation
	IfExists   bool
	Conditions []Condition
}

// BatchType is LOGGED, UNLOGGED or COUNTER.
type BatchType uint8

// Batch types.
const (
	BatchLogged BatchType = iota
	BatchUnlogged
	BatchCounter
)

// BatchStmt is BEGIN [UNLOGGED|COUNTER] BATCH ... APPLY BATCH. Statements
// are *InsertStmt, *UpdateStmt or *DeleteStmt.
type BatchStmt struct {
	Type       BatchType
	Using      Using
	Statements []Statement
}

// UseStmt is USE keyspace.
type UseStmt struct{ Keyspace Ident }

// TruncateStmt is TRUNCATE [TABLE] t.
type TruncateStmt struct{ Table QualifiedName }

// ---------------------------------------------------------------------------
// Keyspaces, tables, types, indexes, views

// CreateKeyspaceStmt is CREATE KEYSPACE.
type CreateKeyspaceStmt struct {
	IfNotExists bool
	Keyspace    Ident
	Properties  []Property
}

// AlterKeyspaceStmt is ALTER KEYSPACE.
type AlterKeyspaceStmt struct {
	Keyspace   Ident
	Properties []Property
}

// DropKeyspaceStmt is DROP KEYSPACE.
type DropKeyspaceStmt struct {
	IfExists bool
	Keyspace Ident
}

// ColumnDef is one column of CREATE TABLE or ALTER TABLE ADD.
type ColumnDef struct {
	Name   Ident
	Type   *CQLType
	Static bool
}

// CreateTableStmt is CREATE TABLE. Cassandra accumulates primary key
// declarations the way they are written, and checks them later; so does
// this node: each inline "PRIMARY KEY" and each PRIMARY KEY (...) clause
// adds one list to PartitionKeys (more than one is an error at
// preparation), and every clause's clustering columns go to
// ClusteringColumns.
type CreateTableStmt struct {
	IfNotExists       bool
	Table             QualifiedName
	Columns           []ColumnDef
	PartitionKeys     [][]Ident
	ClusteringColumns []Ident
	Options           TableOptions
}

// AlterTableKind tells what an ALTER TABLE does.
type AlterTableKind uint8

// ALTER TABLE forms.
const (
	AlterTableAlterType          AlterTableKind = iota + 1 // ALTER c TYPE t (refused by 3.11)
	AlterTableAdd                                          // ADD c t [STATIC] | ADD (c t, ...)
	AlterTableDrop                                         // DROP c | DROP (c, ...) [USING TIMESTAMP n]
	AlterTableDropCompactStorage                           // DROP COMPACT STORAGE
	AlterTableWith                                         // WITH properties
	AlterTableRename                                       // RENAME a TO b [AND ...]
)

// AlterTableStmt is ALTER TABLE.
type AlterTableStmt struct {
	Table QualifiedName
	Kind  AlterTableKind
	// Columns holds the column of ALTER ... TYPE (with its type), the
	// columns of ADD (with types) and of DROP (names only).
	Columns       []ColumnDef
	Properties    []Property
	Renames       []Rename
	DropTimestamp *int64 // DROP ... USING TIMESTAMP n
}

// Rename is one "from TO to" pair of a RENAME.
type Rename struct{ From, To Ident }

// DropTableStmt is DROP TABLE.
type DropTableStmt struct {
	IfExists bool
	Table    QualifiedName
}

// IndexTargetKind is the form of a CREATE INDEX target.
type IndexTargetKind uint8

// Index target forms.
const (
	IndexSimple  IndexTargetKind = iota + 1 // c
	IndexKeys                               // keys(c)
	IndexValues                             // values(c)
	IndexEntries                            // entries(c)
	IndexFull                               // full(c)
)

// IndexTarget is one target of CREATE INDEX.
type IndexTarget struct {
	Kind   IndexTargetKind
	Column Ident
}

// CreateIndexStmt is CREATE [CUSTOM] INDEX.
type CreateIndexStmt struct {
	Custom      bool
	IfNotExists bool
	Name        Ident // Name.Name == "" when the statement names none
	Table       QualifiedName
	Targets     []IndexTarget
	Class       *string // USING 'class'
	Properties  []Property
}

// DropIndexStmt is DROP INDEX.
type DropIndexStmt struct {
	IfExists bool
	Index    QualifiedName
}

// FieldDef is one field of CREATE TYPE.
type FieldDef struct {
	Name Ident
	Type *CQLType
}

// CreateTypeStmt is CREATE TYPE.
type CreateTypeStmt struct {
	IfNotExists bool
	Type        QualifiedName
	Fields      []FieldDef
}

// AlterTypeKind tells what an ALTER TYPE does.
type AlterTypeKind uint8

// ALTER TYPE forms.
const (
	AlterTypeAlter  AlterTypeKind = iota + 1 // ALTER f TYPE t: Cassandra 3.11 answers "Altering of types is not allowed"
	AlterTypeAdd                             // ADD f t
	AlterTypeRename                          // RENAME a TO b [AND ...]
)

// AlterTypeStmt is ALTER TYPE.
type AlterTypeStmt struct {
	Type      QualifiedName
	Kind      AlterTypeKind
	Field     Ident
	FieldType *CQLType
	Renames   []Rename
}

// DropTypeStmt is DROP TYPE.
type DropTypeStmt struct {
	IfExists bool
	Type     QualifiedName
}

// CreateViewStmt is CREATE MATERIALIZED VIEW.
type CreateViewStmt struct {
	IfNotExists       bool
	View              QualifiedName
	Selectors         []SelectItem // nil for *
	Base              QualifiedName
	Where             []Relation
	PartitionKey      []Ident
	ClusteringColumns []Ident
	Options           TableOptions
}

// AlterViewStmt is ALTER MATERIALIZED VIEW.
type AlterViewStmt struct {
	View       QualifiedName
	Properties []Property
}

// DropViewStmt is DROP MATERIALIZED VIEW.
type DropViewStmt struct {
	IfExists bool
	View     QualifiedName
}

// ---------------------------------------------------------------------------
// Functions, aggregates, triggers

// FunctionArg is one argument of CREATE FUNCTION.
type FunctionArg struct {
	Name Ident
	Type *CQLType
}

// CreateFunctionStmt is CREATE [OR REPLACE] FUNCTION.
type CreateFunctionStmt struct {
	OrReplace         bool
	IfNotExists       bool
	Function          QualifiedName
	Args              []FunctionArg
	CalledOnNullInput bool // CALLED ON NULL INPUT (else RETURNS NULL ON NULL INPUT)
	ReturnType        *CQLType
	Language          string // lower-cased
	Body              string
}

// DropFunctionStmt is DROP FUNCTION, and DROP AGGREGATE when Aggregate is
// set. HasArgs tells whether an argument type list was written.
type DropFunctionStmt struct {
	Aggregate bool
	IfExists  bool
	Function  QualifiedName
	HasArgs   bool
	ArgTypes  []*CQLType
}

// CreateAggregateStmt is CREATE [OR REPLACE] AGGREGATE.
type CreateAggregateStmt struct {
	OrReplace   bool
	IfNotExists bool
	Aggregate   QualifiedName
	ArgTypes    []*CQLType
	StateFunc   Ident
	StateType   *CQLType
	FinalFunc   Ident // FinalFunc.Name == "" when absent
	InitCond    Term  // nil when absent
}

// CreateTriggerStmt is CREATE TRIGGER.
type CreateTriggerStmt struct {
	IfNotExists bool
	Name        Ident
	Table       QualifiedName
	Class       string
}

// DropTriggerStmt is DROP TRIGGER.
type DropTriggerStmt struct {
	IfExists bool
	Name     Ident
	Table    QualifiedName
}

// ---------------------------------------------------------------------------
// Roles, users, permissions

// RoleName is a role or user name. Name is folded to lower case when it
// was written as a plain identifier; Quoted marks "...", IsString marks
// '...'. User names (CREATE USER and friends) are never folded.
type RoleName struct {
	Name     string
	Quoted   bool
	IsString bool
}

// RoleOptionKind names a role option.
type RoleOptionKind uint8

// Role options.
const (
	RolePassword RoleOptionKind = iota + 1
	RoleOptions
	RoleSuperuser
	RoleLogin
)

// RoleOption is one option of CREATE or ALTER ROLE ... WITH.
type RoleOption struct {
	Kind     RoleOptionKind
	Password string        // RolePassword
	Options  []MapProperty // RoleOptions
	Value    bool          // RoleSuperuser, RoleLogin
	Text     string        // the boolean as written
}

// CreateRoleStmt is CREATE ROLE.
type CreateRoleStmt struct {
	IfNotExists bool
	Role        RoleName
	Options     []RoleOption
}

// AlterRoleStmt is ALTER ROLE.
type AlterRoleStmt struct {
	Role    RoleName
	Options []RoleOption
}

// DropRoleStmt is DROP ROLE.
type DropRoleStmt struct {
	IfExists bool
	Role     RoleName
}

// ListRolesStmt is LIST ROLES [OF role] [NORECURSIVE].
type ListRolesStmt struct {
	Of          *RoleName
	NoRecursive bool
}

// GrantRoleStmt is GRANT role TO grantee.
type GrantRoleStmt struct{ Role, Grantee RoleName }

// RevokeRoleStmt is REVOKE role FROM revokee.
type RevokeRoleStmt struct{ Role, Revokee RoleName }

// CreateUserStmt is CREATE USER (a deprecated form of CREATE ROLE with
// LOGIN = true). Superuser is nil unless SUPERUSER or NOSUPERUSER is written.
type CreateUserStmt struct {
	IfNotExists bool
	User        RoleName
	Password    *string
	Superuser   *bool
}

// AlterUserStmt is ALTER USER.
type AlterUserStmt struct {
	User      RoleName
	Password  *string
	Superuser *bool
}

// DropUserStmt is DROP USER.
type DropUserStmt struct {
	IfExists bool
	User     RoleName
}

// ListUsersStmt is LIST USERS.
type ListUsersStmt struct{}

// Permission is a permission keyword.
type Permission string

// Permissions, as Cassandra names them.
const (
	PermCreate    Permission = "CREATE"
	PermAlter     Permission = "ALTER"
	PermDrop      Permission = "DROP"
	PermSelect    Permission = "SELECT"
	PermModify    Permission = "MODIFY"
	PermAuthorize Permission = "AUTHORIZE"
	PermDescribe  Permission = "DESCRIBE"
	PermExecute   Permission = "EXECUTE"
)

// AllPermissions is Cassandra's Permission.ALL, in its order.
var AllPermissions = []Permission{PermCreate, PermAlter, PermDrop, PermSelect, PermModify, PermAuthorize, PermDescribe, PermExecute}

// ResourceKind tells which resource a permission statement names.
type ResourceKind uint8

// Resources.
const (
	ResAllKeyspaces           ResourceKind = iota + 1 // ALL KEYSPACES
	ResKeyspace                                       // KEYSPACE ks
	ResTable                                          // [TABLE] [ks.]t
	ResAllRoles                                       // ALL ROLES
	ResRole                                           // ROLE r
	ResAllFunctions                                   // ALL FUNCTIONS
	ResAllFunctionsInKeyspace                         // ALL FUNCTIONS IN KEYSPACE ks
	ResFunction                                       // FUNCTION [ks.]f(types)
	ResAllMBeans                                      // ALL MBEANS
	ResMBean                                          // MBEAN 'name'
	ResMBeans                                         // MBEANS 'pattern'
)

// Resource is the resource of GRANT, REVOKE and LIST permissions.
type Resource struct {
	Kind     ResourceKind
	Keyspace Ident // ResKeyspace, ResTable, ResAllFunctionsInKeyspace, ResFunction
	Name     Ident // table or function name
	Role     RoleName
	ArgTypes []*CQLType
	MBean    string
}

// PermissionsStmtKind tells GRANT, REVOKE and LIST apart.
type PermissionsStmtKind uint8

// Permission statements.
const (
	GrantPermissions PermissionsStmtKind = iota + 1
	RevokePermissions
	ListPermissions
)

// PermissionsStmt is GRANT perms ON resource TO role, REVOKE perms ON
// resource FROM role, or LIST perms [ON resource] [OF role] [NORECURSIVE].
// All is set for ALL [PERMISSIONS]; Permissions then is nil. For GRANT and
// REVOKE Cassandra applies only the permissions ApplicablePermissions
// allows for the resource.
type PermissionsStmt struct {
	Kind        PermissionsStmtKind
	All         bool
	Permissions []Permission
	Resource    *Resource // nil for LIST without ON
	Role        *RoleName // grantee, revokee, or LIST's OF role (nil when absent)
	NoRecursive bool
}

func (*SelectStmt) statement()          {}
func (*InsertStmt) statement()          {}
func (*UpdateStmt) statement()          {}
func (*DeleteStmt) statement()          {}
func (*BatchStmt) statement()           {}
func (*UseStmt) statement()             {}
func (*TruncateStmt) statement()        {}
func (*CreateKeyspaceStmt) statement()  {}
func (*AlterKeyspaceStmt) statement()   {}
func (*DropKeyspaceStmt) statement()    {}
func (*CreateTableStmt) statement()     {}
func (*AlterTableStmt) statement()      {}
func (*DropTableStmt) statement()       {}
func (*CreateIndexStmt) statement()     {}
func (*DropIndexStmt) statement()       {}
func (*CreateTypeStmt) statement()      {}
func (*AlterTypeStmt) statement()       {}
func (*DropTypeStmt) statement()        {}
func (*CreateViewStmt) statement()      {}
func (*AlterViewStmt) statement()       {}
func (*DropViewStmt) statement()        {}
func (*CreateFunctionStmt) statement()  {}
func (*DropFunctionStmt) statement()    {}
func (*CreateAggregateStmt) statement() {}
func (*CreateTriggerStmt) statement()   {}
func (*DropTriggerStmt) statement()     {}
func (*CreateRoleStmt) statement()      {}
func (*AlterRoleStmt) statement()       {}
func (*DropRoleStmt) statement()        {}
func (*ListRolesStmt) statement()       {}
func (*GrantRoleStmt) statement()       {}
func (*RevokeRoleStmt) statement()      {}
func (*CreateUserStmt) statement()      {}
func (*AlterUserStmt) statement()       {}
func (*DropUserStmt) statement()        {}
func (*ListUsersStmt) statement()       {}
func (*PermissionsStmt) statement()     {}
