/* A fused score-table count, for benchmarks/bench_compiled_floor.py only (not part of the
 * library): one pass over the rows computes each row's bin and cell and adds its count, its
 * score and its squared score to three tables, as the library's kernel does with three
 * np.bincount calls. It measures how fast compiled code could count a binned score table,
 * so that the numpy kernel's speed can be judged against that floor.
 *
 * count(groups: int8, y: int8, score: float64, scale: float, n_bins: int,
 *       rows: int64 out, sum_s: float64 out, sum_s2: float64 out)
 * adds into the three output tables (cell = (group * 2 + y) * n_bins + bin); releases the GIL.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

static PyObject *count(PyObject *self, PyObject *args) {
    PyObject *objects[6];
    double scale;
    Py_ssize_t n_bins;
    if (!PyArg_ParseTuple(args, "OOOdnOOO", &objects[0], &objects[1], &objects[2], &scale, &n_bins,
                          &objects[3], &objects[4], &objects[5]))
        return NULL;
    Py_buffer views[6];
    int got = 0;
    for (; got < 6; got++) {
        int flags = PyBUF_C_CONTIGUOUS | (got >= 3 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objects[got], &views[got], flags) < 0) break;
    }
    PyObject *result = NULL;
    if (got == 6) {
        const int8_t *g = views[0].buf, *y = views[1].buf;
        const double *s = views[2].buf;
        int64_t *rows = views[3].buf;
        double *sum_s = views[4].buf, *sum_s2 = views[5].buf;
        Py_ssize_t n = views[2].len / (Py_ssize_t)sizeof(double);
        Py_ssize_t cells = views[3].len / (Py_ssize_t)sizeof(int64_t), last = n_bins - 1;
        int bad = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            double v = s[i];
            Py_ssize_t bin = (Py_ssize_t)(v * scale);
            if (bin > last) bin = last;
            Py_ssize_t cell = ((Py_ssize_t)g[i] * 2 + y[i]) * n_bins + bin;
            if (cell < 0 || cell >= cells) { bad = 1; break; }
            rows[cell] += 1;
            sum_s[cell] += v;
            sum_s2[cell] += v * v;
        }
        Py_END_ALLOW_THREADS
        if (bad) PyErr_SetString(PyExc_IndexError, "a row's cell is outside the tables");
        else result = Py_NewRef(Py_None);
    }
    for (int k = 0; k < got; k++) PyBuffer_Release(&views[k]);
    return result;
}

static PyMethodDef methods[] = {{"count", count, METH_VARARGS, "Fused count of a binned score table."},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fused_scores", NULL, -1, methods};
PyMODINIT_FUNC PyInit_fused_scores(void) { return PyModule_Create(&module); }
