//! Vecs that grow by one place at a time while short. An open call holds a dozen short Vecs
//! (its facts, findings, inquiries, each inquiry's steps), and `Vec::push` reserves four places
//! at the first push: most of them never hold more than one or two (memory per open call,
//! issue #23).

/// How long a Vec grows by one place at a time; past it, `push` grows it as usual.
const TIGHT: usize = 4;

/// Pushes `value`, growing `vec` by exactly one place while it holds fewer than four.
#[inline]
pub(crate) fn push<T>(vec: &mut Vec<T>, value: T) {
    if vec.len() == vec.capacity() && vec.len() < TIGHT {
        vec.reserve_exact(1);
    }
    vec.push(value);
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_vecs_grow_by_one_and_long_ones_as_usual() {
        let mut v = Vec::new();
        for i in 0..4 {
            super::push(&mut v, i);
            assert_eq!(v.capacity(), i + 1);
        }
        super::push(&mut v, 4);
        assert!(v.capacity() >= 8, "{}", v.capacity());
        assert_eq!(v, [0, 1, 2, 3, 4]);
    }
}
