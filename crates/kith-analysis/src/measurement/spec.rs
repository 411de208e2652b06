//! The parametrization of a measurement model as lavaan builds it for `cfa()`: which elements
//! of Λ, Θ, Ψ, ν and α are free in each group, and which free elements are one parameter
//! because the model constrains them equal across groups.

/// A model as a researcher states it: factors with their indicators (indices into the observed
/// variables), residuals allowed to correlate, and the choices lavaan offers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub factors: Vec<(String, Vec<usize>)>,
    /// Pairs of observed variables whose residuals covary.
    pub correlated_residuals: Vec<(usize, usize)>,
    /// Factors uncorrelated (lavaan's `orthogonal = TRUE`).
    pub orthogonal: bool,
    /// Factor variances fixed at 1 and every loading free, instead of marker variables.
    pub std_lv: bool,
}

/// What the groups of a multi-group model share (lavaan's `group.equal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Equal {
    pub loadings: bool,
    pub intercepts: bool,
    pub residuals: bool,
}

/// A parameter left free in every group although its kind is constrained equal (lavaan's
/// `group.partial`): partial invariance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    Loading { factor: usize, item: usize },
    Intercept { item: usize },
    Residual { item: usize },
}

/// How the model is estimated and identified, beyond the model itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub groups: usize,
    /// Intercepts and factor means in the model (lavaan's `meanstructure`): always with FIML
    /// and with several groups.
    pub means: bool,
    pub equal: Equal,
    pub released: Vec<Release>,
}

/// What an element of a model matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Indicator `item` on factor `factor`.
    Loading {
        factor: usize,
        item: usize,
    },
    /// The residual (co)variance of items `a` ≥ `b`.
    Residual {
        a: usize,
        b: usize,
    },
    /// The (co)variance of factors `a` ≥ `b`.
    FactorCovariance {
        a: usize,
        b: usize,
    },
    Intercept {
        item: usize,
    },
    FactorMean {
        factor: usize,
    },
}

impl Kind {
    /// The element in lavaan's notation (lhs, op, rhs), given the items' and factors' names:
    /// `f =~ item`, `a ~~ b`, `item ~1`.
    pub fn lavaan<I: AsRef<str>, F: AsRef<str>>(
        self,
        items: &[I],
        factors: &[F],
    ) -> (String, &'static str, String) {
        let item = |i: usize| items[i].as_ref().to_string();
        let factor = |f: usize| factors[f].as_ref().to_string();
        match self {
            Kind::Loading { factor: f, item: i } => (factor(f), "=~", item(i)),
            Kind::Residual { a, b } => (item(b), "~~", item(a)),
            Kind::FactorCovariance { a, b } => (factor(b), "~~", factor(a)),
            Kind::Intercept { item: i } => (item(i), "~1", String::new()),
            Kind::FactorMean { factor: f } => (factor(f), "~1", String::new()),
        }
    }
}

/// An element of a model matrix in one group: fixed at a value, or the free parameter with
/// this index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry {
    Fixed(f64),
    Free(usize),
}

/// The parametrized model: for every group the elements (kind and entry) that are not fixed
/// at zero, and the free parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub p: usize,
    pub k: usize,
    pub means: bool,
    /// Per group, the elements that are free or fixed away from zero, in lavaan's order:
    /// loadings, residual (co)variances, factor (co)variances, intercepts, factor means.
    pub elements: Vec<Vec<(Kind, Entry)>>,
    /// Per free parameter, its kind and the groups it appears in (one group, or several when
    /// constrained equal).
    pub free: Vec<(Kind, Vec<usize>)>,
}

impl Spec {
    pub fn groups(&self) -> usize {
        self.elements.len()
    }

    pub fn npar(&self) -> usize {
        self.free.len()
    }

    /// The model of `p` observed variables, parametrized as lavaan's `cfa()` does it.
    pub fn cfa(model: &Model, p: usize, layout: &Layout) -> Spec {
        let k = model.factors.len();
        let groups = layout.groups.max(1);
        let mut builder = Builder::default();
        for group in 0..groups {
            let first = group == 0;
            let mut elements = Vec::new();
            for (factor, (_, items)) in model.factors.iter().enumerate() {
                for (position, &item) in items.iter().enumerate() {
                    let kind = Kind::Loading { factor, item };
                    let entry = if position == 0 && !model.std_lv {
                        Entry::Fixed(1.0)
                    } else {
                        let shared = layout.equal.loadings
                            && !layout.released.contains(&Release::Loading { factor, item });
                        builder.entry(kind, group, shared)
                    };
                    elements.push((kind, entry));
                }
            }
            for item in 0..p {
                let kind = Kind::Residual { a: item, b: item };
                let shared = layout.equal.residuals
                    && !layout.released.contains(&Release::Residual { item });
                elements.push((kind, builder.entry(kind, group, shared)));
            }
            for &(x, y) in &model.correlated_residuals {
                let kind = Kind::Residual {
                    a: x.max(y),
                    b: x.min(y),
                };
                elements.push((kind, builder.entry(kind, group, false)));
            }
            for a in 0..k {
                for b in a..k {
                    let kind = Kind::FactorCovariance { a: b, b: a };
                    if a == b {
                        // With std.lv the variances are 1 in the first group; lavaan frees them
                        // in the others once the loadings are equal.
                        let fixed = model.std_lv && (first || !layout.equal.loadings);
                        let entry = if fixed {
                            Entry::Fixed(1.0)
                        } else {
                            builder.entry(kind, group, false)
                        };
                        elements.push((kind, entry));
                    } else if !model.orthogonal {
                        elements.push((kind, builder.entry(kind, group, false)));
                    }
                }
            }
            if layout.means {
                for item in 0..p {
                    let kind = Kind::Intercept { item };
                    let shared = layout.equal.intercepts
                        && !layout.released.contains(&Release::Intercept { item });
                    elements.push((kind, builder.entry(kind, group, shared)));
                }
                for factor in 0..k {
                    let kind = Kind::FactorMean { factor };
                    // Factor means are 0 for identification, except in the later groups once
                    // the intercepts are equal.
                    let entry = if layout.equal.intercepts && !first {
                        builder.entry(kind, group, false)
                    } else {
                        Entry::Fixed(0.0)
                    };
                    elements.push((kind, entry));
                }
            }
            builder.elements.push(elements);
        }
        Spec {
            p,
            k,
            means: layout.means,
            elements: builder.elements,
            free: builder.free,
        }
    }

    /// The independence model lavaan compares with (its baseline): free variances, and free
    /// means with a mean structure, nothing else.
    pub fn baseline(p: usize, groups: usize, means: bool) -> Spec {
        Spec::unrestricted(p, groups, means, false)
    }

    /// The saturated model (lavaan's h1): every variance and covariance free, and the means.
    pub fn saturated(p: usize, groups: usize, means: bool) -> Spec {
        Spec::unrestricted(p, groups, means, true)
    }

    fn unrestricted(p: usize, groups: usize, means: bool, covariances: bool) -> Spec {
        let mut builder = Builder::default();
        for group in 0..groups.max(1) {
            let mut elements = Vec::new();
            for a in 0..p {
                for b in 0..=a {
                    if a == b || covariances {
                        let kind = Kind::Residual { a, b };
                        elements.push((kind, builder.entry(kind, group, false)));
                    }
                }
            }
            if means {
                for item in 0..p {
                    let kind = Kind::Intercept { item };
                    elements.push((kind, builder.entry(kind, group, false)));
                }
            }
            builder.elements.push(elements);
        }
        Spec {
            p,
            k: 0,
            means,
            elements: builder.elements,
            free: builder.free,
        }
    }
}

/// Numbers the free parameters as the groups are laid out; a shared kind gets the index it
/// got in the first group.
#[derive(Default)]
struct Builder {
    elements: Vec<Vec<(Kind, Entry)>>,
    free: Vec<(Kind, Vec<usize>)>,
}

impl Builder {
    fn entry(&mut self, kind: Kind, group: usize, shared: bool) -> Entry {
        if shared
            && group > 0
            && let Some(index) = self
                .free
                .iter()
                .position(|(k, groups)| *k == kind && groups[0] == 0)
        {
            self.free[index].1.push(group);
            return Entry::Free(index);
        }
        self.free.push((kind, vec![group]));
        Entry::Free(self.free.len() - 1)
    }
}
