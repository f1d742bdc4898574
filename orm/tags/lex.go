package tags

import (
	"fmt"
	"strings"
)

// item is one comma-separated element of a tag: the name (first element) or
// an option, written as key or key=value.
type item struct {
	key    string // option keyword; "" for the name
	val    string // value (unquoted), or the name
	hasVal bool   // key=value rather than a bare keyword
	quoted bool   // the value was written in single quotes
}

// lexTag splits a tag into its name and options. Commas inside parentheses
// and inside single quotes do not split; inside quotes a doubled quote
// stands for one quote. Blanks around elements are ignored.
func lexTag(tag string) (name item, opts []item, err error) {
	i := 0
	name.val, name.quoted, i, err = lexValue(tag, 0, false)
	if err != nil {
		return name, nil, err
	}
	for i < len(tag) {
		// tag[i] is the comma that ended the previous element.
		i++
		j := skipBlank(tag, i)
		k := j
		for k < len(tag) && tag[k] != '=' && tag[k] != ',' {
			k++
		}
		it := item{key: strings.TrimSpace(tag[j:k])}
		if it.key == "" {
			return name, nil, fmt.Errorf("empty option at offset %d", i)
		}
		if k < len(tag) && tag[k] == '=' {
			it.hasVal = true
			// type= values nest CQL types in angle brackets too.
			it.val, it.quoted, k, err = lexValue(tag, k+1, it.key == "type")
			if err != nil {
				return name, nil, err
			}
		}
		opts = append(opts, it)
		i = k
	}
	return name, opts, nil
}

// lexValue reads one value from s[i:] up to the next top-level comma (or
// the end) and returns it with the index of that comma (or len(s)).
// Commas inside parentheses do not end it, nor, with angles, commas
// inside angle brackets.
func lexValue(s string, i int, angles bool) (val string, quoted bool, next int, err error) {
	i = skipBlank(s, i)
	if i < len(s) && s[i] == '\'' {
		var b strings.Builder
		for j := i + 1; ; j++ {
			if j >= len(s) {
				return "", false, 0, fmt.Errorf("unterminated quote starting at offset %d", i)
			}
			if s[j] != '\'' {
				b.WriteByte(s[j])
				continue
			}
			if j+1 < len(s) && s[j+1] == '\'' {
				b.WriteByte('\'')
				j++
				continue
			}
			k := skipBlank(s, j+1)
			if k < len(s) && s[k] != ',' {
				return "", false, 0, fmt.Errorf("unexpected %q after the quoted value at offset %d", s[k], k)
			}
			return b.String(), true, k, nil
		}
	}
	depth, angle := 0, 0
	j := i
	for ; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return "", false, 0, fmt.Errorf("unbalanced ')' at offset %d", j)
			}
		case '<':
			if angles && depth == 0 {
				angle++
			}
		case '>':
			if angles && depth == 0 {
				angle--
				if angle < 0 {
					return "", false, 0, fmt.Errorf("unbalanced '>' at offset %d", j)
				}
			}
		case '\'':
			return "", false, 0, fmt.Errorf("quote inside an unquoted value at offset %d; quote the whole value", j)
		}
		if s[j] == ',' && depth == 0 && angle == 0 {
			break
		}
	}
	if depth > 0 {
		return "", false, 0, fmt.Errorf("unbalanced '(' in %q", s[i:j])
	}
	if angle > 0 {
		return "", false, 0, fmt.Errorf("unbalanced '<' in %q", s[i:j])
	}
	return strings.TrimSpace(s[i:j]), false, j, nil
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}
