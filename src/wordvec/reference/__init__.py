"""The word2vec math of CS224n in NumPy (float64), every gradient checked numerically.

Conventions of the derivation: ``U`` is |V| x d with row w equal to u_w (the
outside vectors), ``v_c`` is the d-vector of the center word, ``o`` is the
index of the outside word, ``y`` its one-hot vector and ``y_hat`` the
predicted distribution. ``W_in`` holds the center vectors, row w = v_w.

The fast engine (:mod:`wordvec.engine`) is tested against these functions;
this package never imports the engine.
"""

from .activations import leaky_relu, leaky_relu_grad, sigmoid, sigmoid_grad, softmax
from .gradcheck import GradcheckRow, format_table, gradcheck, gradient_checks
from .losses import (
    NegSamplingLoss,
    UnigramSampler,
    hierarchical_softmax_loss_and_gradient,
    hs_neg_loss_and_gradient,
    make_neg_sampling_loss,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    sample_negatives,
)
from .models import cbow, skipgram
from .network import forward_backward_prop, param_count, unpack_params
from .sgd import sgd
from .trainer import (
    ReferenceResult,
    WindowSampler,
    read_sst,
    run_course_experiment,
    word2vec_sgd_wrapper,
)

__all__ = [
    "softmax",
    "sigmoid",
    "sigmoid_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "naive_softmax_loss_and_gradient",
    "neg_sampling_loss_and_gradient",
    "hierarchical_softmax_loss_and_gradient",
    "hs_neg_loss_and_gradient",
    "UnigramSampler",
    "sample_negatives",
    "NegSamplingLoss",
    "make_neg_sampling_loss",
    "skipgram",
    "cbow",
    "forward_backward_prop",
    "param_count",
    "unpack_params",
    "gradcheck",
    "GradcheckRow",
    "gradient_checks",
    "format_table",
    "sgd",
    "read_sst",
    "WindowSampler",
    "word2vec_sgd_wrapper",
    "ReferenceResult",
    "run_course_experiment",
]
