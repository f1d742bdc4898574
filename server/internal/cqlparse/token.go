package cqlparse

import "strings"

// tokKind is a token type. The names and the classification of keywords
// follow the token vocabulary of Cassandra 3.11's generated CqlParser, so
// that error messages can name the expected token as Cassandra does
// ("expecting K_FROM", "expecting ')'").
type tokKind uint8

const (
	tEOF tokKind = iota
	tWS
	tComment
	tIDENT
	tQUOTED_NAME
	tEMPTY_QUOTED_NAME
	tSTRING
	tINTEGER
	tFLOAT
	tBOOLEAN
	tDURATION
	tUUID
	tHEX
	tQMARK

	tNEQ      // !=
	tLPAREN   // (
	tRPAREN   // )
	tPLUS     // +
	tPLUSEQ   // +=
	tCOMMA    // ,
	tMINUS    // -
	tMINUSEQ  // -=
	tDOT      // .
	tCOLON    // :
	tSEMI     // ;
	tLT       // <
	tLTE      // <=
	tEQ       // =
	tGT       // >
	tGTE      // >=
	tLBRACKET // [
	tSTAR     // *
	tRBRACKET // ]
	tEXPR     // expr(   (one token, as in Cassandra's grammar)
	tLBRACE   // {
	tRBRACE   // }

	// Keywords, in the order of Cassandra 3.11's token table.
	kADD
	kAGGREGATE
	kALL
	kALLOW
	kALTER
	kAND
	kAPPLY
	kAS
	kASC
	kASCII
	kAUTHORIZE
	kBATCH
	kBEGIN
	kBIGINT
	kBLOB
	kBOOLEAN
	kBY
	kCALLED
	kCAST
	kCLUSTERING
	kCOLUMNFAMILY
	kCOMPACT
	kCONTAINS
	kCOUNT
	kCOUNTER
	kCREATE
	kCUSTOM
	kDATE
	kDECIMAL
	kDEFAULT
	kDELETE
	kDESC
	kDESCRIBE
	kDISTINCT
	kDOUBLE
	kDROP
	kDURATION
	kENTRIES
	kEXECUTE
	kEXISTS
	kFILTERING
	kFINALFUNC
	kFLOAT
	kFROM
	kFROZEN
	kFULL
	kFUNCTION
	kFUNCTIONS
	kGRANT
	kGROUP
	kIF
	kIN
	kINDEX
	kINET
	kINFINITY
	kINITCOND
	kINPUT
	kINSERT
	kINT
	kINTO
	kIS
	kJSON
	kKEY
	kKEYS
	kKEYSPACE
	kKEYSPACES
	kLANGUAGE
	kLIKE
	kLIMIT
	kLIST
	kLOGIN
	kMAP
	kMATERIALIZED
	kMBEAN
	kMBEANS
	kMODIFY
	kNAN
	kNOLOGIN
	kNORECURSIVE
	kNOSUPERUSER
	kNOT
	kNULL
	kOF
	kON
	kOPTIONS
	kOR
	kORDER
	kPARTITION
	kPASSWORD
	kPER
	kPERMISSION
	kPERMISSIONS
	kPRIMARY
	kRENAME
	kREPLACE
	kRETURNS
	kREVOKE
	kROLE
	kROLES
	kSELECT
	kSET
	kSFUNC
	kSMALLINT
	kSTATIC
	kSTORAGE
	kSTYPE
	kSUPERUSER
	kTEXT
	kTIME
	kTIMESTAMP
	kTIMEUUID
	kTINYINT
	kTO
	kTOKEN
	kTRIGGER
	kTRUNCATE
	kTTL
	kTUPLE
	kTYPE
	kUNLOGGED
	kUNSET
	kUPDATE
	kUSE
	kUSER
	kUSERS
	kUSING
	kUUID
	kVALUES
	kVARCHAR
	kVARINT
	kVIEW
	kWHERE
	kWITH
	kWRITETIME

	numKinds
)

const kFirst = kADD

// keywordNames holds the keyword spellings, indexed by kind-kFirst. The
// token name in error messages is "K_" followed by this spelling.
var keywordNames = [...]string{
	"ADD", "AGGREGATE", "ALL", "ALLOW", "ALTER", "AND", "APPLY", "AS", "ASC", "ASCII",
	"AUTHORIZE", "BATCH", "BEGIN", "BIGINT", "BLOB", "BOOLEAN", "BY", "CALLED", "CAST",
	"CLUSTERING", "COLUMNFAMILY", "COMPACT", "CONTAINS", "COUNT", "COUNTER", "CREATE",
	"CUSTOM", "DATE", "DECIMAL", "DEFAULT", "DELETE", "DESC", "DESCRIBE", "DISTINCT",
	"DOUBLE", "DROP", "DURATION", "ENTRIES", "EXECUTE", "EXISTS", "FILTERING", "FINALFUNC",
	"FLOAT", "FROM", "FROZEN", "FULL", "FUNCTION", "FUNCTIONS", "GRANT", "GROUP", "IF",
	"IN", "INDEX", "INET", "INFINITY", "INITCOND", "INPUT", "INSERT", "INT", "INTO", "IS",
	"JSON", "KEY", "KEYS", "KEYSPACE", "KEYSPACES", "LANGUAGE", "LIKE", "LIMIT", "LIST",
	"LOGIN", "MAP", "MATERIALIZED", "MBEAN", "MBEANS", "MODIFY", "NAN", "NOLOGIN",
	"NORECURSIVE", "NOSUPERUSER", "NOT", "NULL", "OF", "ON", "OPTIONS", "OR", "ORDER",
	"PARTITION", "PASSWORD", "PER", "PERMISSION", "PERMISSIONS", "PRIMARY", "RENAME",
	"REPLACE", "RETURNS", "REVOKE", "ROLE", "ROLES", "SELECT", "SET", "SFUNC", "SMALLINT",
	"STATIC", "STORAGE", "STYPE", "SUPERUSER", "TEXT", "TIME", "TIMESTAMP", "TIMEUUID",
	"TINYINT", "TO", "TOKEN", "TRIGGER", "TRUNCATE", "TTL", "TUPLE", "TYPE", "UNLOGGED",
	"UNSET", "UPDATE", "USE", "USER", "USERS", "USING", "UUID", "VALUES", "VARCHAR",
	"VARINT", "VIEW", "WHERE", "WITH", "WRITETIME",
}

var _ = [1]struct{}{}[len(keywordNames)-int(numKinds-kFirst)] // keep the table in step

// keywordByName maps an upper-case spelling to its keyword. SCHEMA and
// TABLE are alternative spellings of KEYSPACE and COLUMNFAMILY.
var keywordByName = func() map[string]tokKind {
	m := make(map[string]tokKind, len(keywordNames)+2)
	for i, n := range keywordNames {
		m[n] = kFirst + tokKind(i)
	}
	m["SCHEMA"] = kKEYSPACE
	m["TABLE"] = kCOLUMNFAMILY
	return m
}()

var otherTokenNames = [...]string{
	tEOF: "EOF", tWS: "WS", tComment: "COMMENT", tIDENT: "IDENT", tQUOTED_NAME: "QUOTED_NAME",
	tEMPTY_QUOTED_NAME: "EMPTY_QUOTED_NAME", tSTRING: "STRING_LITERAL", tINTEGER: "INTEGER",
	tFLOAT: "FLOAT", tBOOLEAN: "BOOLEAN", tDURATION: "DURATION", tUUID: "UUID", tHEX: "HEXNUMBER",
	tQMARK: "QMARK", tNEQ: "'!='", tLPAREN: "'('", tRPAREN: "')'", tPLUS: "'+'", tPLUSEQ: "'+='",
	tCOMMA: "','", tMINUS: "'-'", tMINUSEQ: "'-='", tDOT: "'.'", tCOLON: "':'", tSEMI: "';'",
	tLT: "'<'", tLTE: "'<='", tEQ: "'='", tGT: "'>'", tGTE: "'>='", tLBRACKET: "'['",
	tSTAR: `'\*'`, tRBRACKET: "']'", tEXPR: "'expr('", tLBRACE: "'{'", tRBRACE: "'}'",
}

// tokenName is the name ANTLR prints for an expected token.
func (k tokKind) tokenName() string {
	if k >= kFirst && k < numKinds {
		return "K_" + keywordNames[k-kFirst]
	}
	if int(k) < len(otherTokenNames) {
		return otherTokenNames[k]
	}
	return "<unknown>"
}

// keyword returns the keyword spelled by word (any case), or tIDENT.
func keyword(word string) tokKind {
	if len(word) > 12 { // the longest keyword, COLUMNFAMILY, has 12 letters
		return tIDENT
	}
	var buf [12]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	if k, ok := keywordByName[string(buf[:len(word)])]; ok {
		return k
	}
	return tIDENT
}

// Token classes.
const (
	clsBasic      uint8 = 1 << iota // basic_unreserved_keyword
	clsNative                       // native_type
	clsOtherUnres                   // TTL COUNT WRITETIME KEY CAST JSON DISTINCT
	clsConstStart                   // first tokens of the constant rule
	clsPermission                   // permission keywords
)

var kindClass = func() (c [numKinds]uint8) {
	kindClass := &c
	for _, k := range []tokKind{kKEYS, kAS, kCLUSTERING, kCOMPACT, kSTORAGE, kTYPE, kVALUES, kMAP,
		kLIST, kFILTERING, kPERMISSION, kPERMISSIONS, kKEYSPACES, kALL, kUSER, kUSERS, kROLE,
		kROLES, kSUPERUSER, kNOSUPERUSER, kLOGIN, kNOLOGIN, kOPTIONS, kPASSWORD, kEXISTS,
		kCUSTOM, kTRIGGER, kCONTAINS, kSTATIC, kFROZEN, kTUPLE, kFUNCTION, kFUNCTIONS,
		kAGGREGATE, kSFUNC, kSTYPE, kFINALFUNC, kINITCOND, kRETURNS, kLANGUAGE, kCALLED,
		kINPUT, kLIKE, kPER, kPARTITION, kGROUP} {
		kindClass[k] |= clsBasic
	}
	for _, k := range nativeTypeKinds {
		kindClass[k] |= clsNative
	}
	for _, k := range []tokKind{kTTL, kCOUNT, kWRITETIME, kKEY, kCAST, kJSON, kDISTINCT} {
		kindClass[k] |= clsOtherUnres
	}
	for _, k := range []tokKind{tSTRING, tINTEGER, tFLOAT, tBOOLEAN, tDURATION, tUUID, tHEX, kNAN, kINFINITY, tMINUS} {
		kindClass[k] |= clsConstStart
	}
	for _, k := range []tokKind{kCREATE, kALTER, kDROP, kSELECT, kMODIFY, kAUTHORIZE, kDESCRIBE, kEXECUTE} {
		kindClass[k] |= clsPermission
	}
	return c
}()

var nativeTypeKinds = []tokKind{kASCII, kBIGINT, kBLOB, kBOOLEAN, kCOUNTER, kDECIMAL, kDOUBLE,
	kDURATION, kFLOAT, kINET, kINT, kSMALLINT, kTEXT, kTIMESTAMP, kTINYINT, kUUID, kVARCHAR,
	kVARINT, kTIMEUUID, kDATE, kTIME}

func (k tokKind) is(c uint8) bool { return k < numKinds && kindClass[k]&c != 0 }

// isUnreserved reports a keyword usable as an identifier (unreserved_keyword).
func (k tokKind) isUnreserved() bool { return k.is(clsBasic | clsNative | clsOtherUnres) }

// isIdent reports the tokens of ident, noncol_ident, fident and schema_cident.
func (k tokKind) isIdent() bool { return k == tIDENT || k == tQUOTED_NAME || k.isUnreserved() }

// isCident reports the tokens of cident (column references in DML).
func (k tokKind) isCident() bool { return k.isIdent() || k == tEMPTY_QUOTED_NAME }

// isKsName reports the tokens of ksName, cfName and idxName.
func (k tokKind) isKsName() bool { return k.isIdent() || k == tQMARK }

// isFuncName reports the tokens of allowedFunctionName.
func (k tokKind) isFuncName() bool {
	return k == tIDENT || k == tQUOTED_NAME || k.is(clsBasic|clsNative) || k == kTOKEN || k == kCOUNT
}

// isConstStart reports the first tokens of constant.
func (k tokKind) isConstStart() bool { return k.is(clsConstStart) }

// isValueStart reports the first tokens of value.
func (k tokKind) isValueStart() bool {
	switch k {
	case tLBRACKET, tLBRACE, tLPAREN, kNULL, tCOLON, tQMARK:
		return true
	}
	return k.isConstStart()
}

// isTermStart reports the first tokens of term.
func (k tokKind) isTermStart() bool { return k.isValueStart() || k.isFuncName() || k.isKsName() }

// isRelOp reports the tokens of relationType.
func (k tokKind) isRelOp() bool {
	switch k {
	case tEQ, tLT, tLTE, tGT, tGTE, tNEQ:
		return true
	}
	return false
}

// isTypeStart reports the first tokens of comparatorType.
func (k tokKind) isTypeStart() bool { return k.isIdent() || k == kSET || k == tSTRING }

// reservedWords are Cassandra 3.11's reserved keywords
// (org.apache.cassandra.cql3.ReservedKeywords).
var reservedWords = func() map[string]bool {
	m := map[string]bool{"SCHEMA": true, "TABLE": true}
	for i, n := range keywordNames {
		if !(kFirst + tokKind(i)).isUnreserved() {
			m[n] = true
		}
	}
	return m
}()

// IsReserved reports whether word (any case) is one of Cassandra 3.11's
// reserved keywords, which cannot be used as unquoted identifiers
// (ReservedKeywords.isReserved).
func IsReserved(word string) bool { return reservedWords[strings.ToUpper(word)] }

// MaybeQuote renders a name the way Cassandra's ColumnIdentifier.maybeQuote
// does in messages such as "Undefined column name %s": unquoted when it
// matches [a-z][a-z0-9_]* and is not a reserved keyword, otherwise in double
// quotes with embedded double quotes doubled.
func MaybeQuote(name string) string {
	if isPlainName(name) && !IsReserved(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func isPlainName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
