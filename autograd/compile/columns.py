"""The batch a compiled function is called with: one column per argument.

A column is a sequence (or numpy array) of B numbers, one per example; an
argument that is a list of numbers in fn (an image's pixels) takes a column
of B rows of equal length, or a (B, k) array. Flattened, every column is one
scalar argument of the traced function.
"""

from numbers import Real


def read(name, columns, as_array=False):
    """(flat columns, widths, B): width None for a column of numbers, k for a
    column of rows of k numbers. The flat columns are lists of floats, or with
    as_array one float64 array (one row per flat column), read by numpy."""
    if as_array:
        found = _read_array(name, columns)
        if found is not None:
            return found
    if not columns:
        raise TypeError(f"compile({name}): called with no columns; give one column per argument")
    flat, widths, size = [], [], None
    for i, column in enumerate(columns):
        rows = _rows(name, i, column)
        if size is None:
            size = len(rows)
        elif len(rows) != size:
            raise ValueError(
                f"compile({name}): column {i} has {len(rows)} values, but column 0 has {size}; "
                "every column holds one value per example"
            )
        width = _width(name, i, rows)
        widths.append(width)
        if width is None:
            flat.append([_number(name, i, j, x) for j, x in enumerate(rows)])
        else:
            flat.extend([_number(name, i, j, row[k]) for j, row in enumerate(rows)]
                        for k in range(width))  # fmt: skip
    if size == 0:
        raise ValueError(f"compile({name}): the columns are empty; a batch needs an example")
    return flat, widths, size


def _read_array(name, columns):
    """read() done by numpy, or None where numpy cannot (read() then names the problem)."""
    import numpy as np

    flat, widths, size = [], [], None
    for column in columns:
        if isinstance(column, list | tuple) and column:
            first = column[0]
            if type(first) is bool or not isinstance(first, Real | list | tuple):
                return None  # a Value, a string, a bool: the plain reader says what is wrong
        try:
            array = np.asarray(column, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        if array.ndim not in (1, 2) or len(array) == 0 or (size is not None and len(array) != size):
            return None
        size = len(array)
        widths.append(None if array.ndim == 1 else array.shape[1])
        flat.extend([array] if array.ndim == 1 else array.T)
    if not flat:
        return None
    return np.array(flat), widths, size


def example(flat, widths, index=0):
    """The arguments of one example, shaped as fn takes them."""
    args, k = [], 0
    for width in widths:
        if width is None:
            args.append(flat[k][index])
            k += 1
        else:
            args.append([flat[k + j][index] for j in range(width)])
            k += width
    return args


def _rows(name, i, column):
    if hasattr(column, "tolist") and hasattr(column, "ndim"):  # a numpy array, read at C speed
        if column.ndim not in (1, 2):
            raise ValueError(
                f"compile({name}): column {i} is a {column.ndim}-d array; "
                "give one value (1-d) or one row (2-d) per example"
            )
        return column.tolist()
    if isinstance(column, str | bytes | dict) or not hasattr(column, "__len__"):
        raise TypeError(
            f"compile({name}): argument {i} must be a column (a list or array with one value "
            f"per example), not {type(column).__name__}"
        )
    return list(column)


def _width(name, i, rows):
    first = rows[0] if rows else None
    if not hasattr(first, "__len__") or isinstance(first, str | bytes):
        return None
    width = len(first)
    for j, row in enumerate(rows):
        if not hasattr(row, "__len__") or len(row) != width:
            raise ValueError(
                f"compile({name}): column {i} mixes rows of different lengths "
                f"(example 0 has {width} values, example {j} {_size(row)})"
            )
    return width


def _size(row):
    return len(row) if hasattr(row, "__len__") else "a single number"


def _number(name, i, j, x):
    if type(x) is float:
        return x
    if isinstance(x, Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(
        f"compile({name}): column {i}, example {j} is {x!r} ({type(x).__name__}); "
        "columns hold plain numbers"
    )
