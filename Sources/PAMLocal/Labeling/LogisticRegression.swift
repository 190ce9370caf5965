import Foundation

/// L2-regularised logistic regression fitted by Newton's method, and Platt scaling.
///
/// Deterministic: no randomness, a fixed order of every sum, and a fixed iteration rule (Newton
/// from zero until the step is below 1e-9 or 50 steps, halving a step that does not lower the
/// objective), so the same data always gives the same bits.
enum LogisticRegression {
    /// A fitted model: `z = bias + weights · x`.
    struct Fit: Equatable {
        var bias: Double
        var weights: [Double]

        func logit(_ x: UnsafeBufferPointer<Double>) -> Double {
            var z = bias
            for index in weights.indices { z += weights[index] * x[index] }
            return z
        }
    }

    /// Fits `targets` (0…1) on the rows of `x` (`rows` × `columns`, row-major, already
    /// standardised), minimising the summed log-loss plus `lambda / 2 · |weights|²` (the bias is
    /// not penalised).
    static func fit(x: [Double], rows: Int, columns: Int, targets: [Double], lambda: Double) -> Fit {
        precondition(x.count == rows * columns && targets.count == rows, "matrix and targets disagree")
        // The penalised optimum has weights = −Xᵀ(p − y)/λ: a combination of the rows. With fewer rows
        // than columns, fit in an orthonormal basis of the rows' span instead (the same optimum, as
        // the basis keeps lengths), which is much cheaper.
        if rows < columns, lambda > 0 {
            let basis = rowBasis(x, rows: rows, columns: columns)
            guard !basis.isEmpty else { return newton(x: x, rows: rows, columns: columns, targets: targets, lambda: lambda) }
            var reduced = [Double](repeating: 0, count: rows * basis.count)
            for row in 0..<rows {
                for (k, vector) in basis.enumerated() {
                    var dot = 0.0
                    for column in 0..<columns { dot += x[row * columns + column] * vector[column] }
                    reduced[row * basis.count + k] = dot
                }
            }
            let small = newton(x: reduced, rows: rows, columns: basis.count, targets: targets, lambda: lambda)
            var weights = [Double](repeating: 0, count: columns)
            for (k, vector) in basis.enumerated() {
                for column in 0..<columns { weights[column] += small.weights[k] * vector[column] }
            }
            return Fit(bias: small.bias, weights: weights)
        }
        return newton(x: x, rows: rows, columns: columns, targets: targets, lambda: lambda)
    }

    /// An orthonormal basis of the span of the rows (modified Gram–Schmidt, rows in order; a row
    /// already in the span of the earlier ones adds nothing).
    static func rowBasis(_ x: [Double], rows: Int, columns: Int) -> [[Double]] {
        var basis: [[Double]] = []
        for row in 0..<rows {
            var vector = Array(x[row * columns..<(row + 1) * columns])
            let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for other in basis {
                var dot = 0.0
                for column in 0..<columns { dot += vector[column] * other[column] }
                for column in 0..<columns { vector[column] -= dot * other[column] }
            }
            let rest = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard rest > 1e-9 * max(length, 1) else { continue }
            basis.append(vector.map { $0 / rest })
        }
        return basis
    }

    /// Newton's method on the full problem (see ``fit(x:rows:columns:targets:lambda:)``).
    private static func newton(x: [Double], rows: Int, columns: Int, targets: [Double], lambda: Double) -> Fit {
        let size = columns + 1 // the bias is parameter `columns`
        var theta = [Double](repeating: 0, count: size)
        let positives = targets.reduce(0, +)
        theta[columns] = log((positives + 0.5) / (Double(rows) - positives + 0.5))

        func objective(_ theta: [Double]) -> Double {
            var loss = 0.0
            x.withUnsafeBufferPointer { x in
                theta.withUnsafeBufferPointer { theta in
                    for row in 0..<rows {
                        var z = theta[columns]
                        let base = row * columns
                        for column in 0..<columns { z += theta[column] * x[base + column] }
                        loss += softplus(z) - targets[row] * z
                    }
                }
            }
            var penalty = 0.0
            for column in 0..<columns { penalty += theta[column] * theta[column] }
            return loss + lambda / 2 * penalty
        }

        var current = objective(theta)
        var hessian = [Double](repeating: 0, count: size * size)
        var gradient = [Double](repeating: 0, count: size)
        for _ in 0..<50 {
            for index in hessian.indices { hessian[index] = 0 }
            for index in gradient.indices { gradient[index] = 0 }
            x.withUnsafeBufferPointer { x in
                hessian.withUnsafeMutableBufferPointer { h in
                    gradient.withUnsafeMutableBufferPointer { gradient in
                        theta.withUnsafeBufferPointer { theta in
                            for row in 0..<rows {
                                let base = row * columns
                                var z = theta[columns]
                                for column in 0..<columns { z += theta[column] * x[base + column] }
                                let p = LabelModel.sigmoid(z)
                                let residual = p - targets[row]
                                let weight = max(p * (1 - p), 1e-12)
                                for i in 0..<columns {
                                    let xi = x[base + i]
                                    gradient[i] += residual * xi
                                    let wxi = weight * xi
                                    let rowBase = i * size
                                    for j in i..<columns { h[rowBase + j] += wxi * x[base + j] }
                                    h[rowBase + columns] += wxi
                                }
                                gradient[columns] += residual
                                h[columns * size + columns] += weight
                            }
                        }
                    }
                }
            }
            for i in 0..<columns {
                gradient[i] += lambda * theta[i]
                hessian[i * size + i] += lambda
            }
            // Mirror the upper triangle.
            for i in 0..<size {
                for j in 0..<i { hessian[i * size + j] = hessian[j * size + i] }
            }
            guard let step = solveSymmetric(hessian, gradient, size: size) else { break }
            var scale = 1.0
            var accepted = false
            for _ in 0..<30 {
                let candidate = theta.indices.map { theta[$0] - scale * step[$0] }
                let value = objective(candidate)
                if value <= current {
                    theta = candidate
                    current = value
                    accepted = true
                    break
                }
                scale /= 2
            }
            let largest = step.reduce(0) { max($0, abs($1)) } * scale
            if !accepted || largest < 1e-9 { break }
        }
        return Fit(bias: theta[columns], weights: Array(theta[0..<columns]))
    }

    /// Platt scaling: `(a, b)` so that `σ(a · logit + b)` is calibrated on these out-of-fold
    /// logits, with Platt's smoothed targets (so a perfectly separated label does not get
    /// probabilities of exactly 0 and 1). When the out-of-fold logits rank the photos no better
    /// than chance (a slope `a ≤ 0`), the label gets its smoothed base rate: `a = 0`.
    static func platt(logits: [Double], labels: [Bool]) -> (a: Double, b: Double) {
        let positives = Double(labels.filter { $0 }.count)
        let negatives = Double(labels.count) - positives
        let high = (positives + 1) / (positives + 2)
        let low = 1 / (negatives + 2)
        let targets = labels.map { $0 ? high : low }
        let fit = fit(x: logits, rows: logits.count, columns: 1, targets: targets, lambda: 1e-6)
        guard fit.weights[0] > 0 else {
            let rate = targets.reduce(0, +) / Double(max(targets.count, 1))
            return (0, log(rate / (1 - rate)))
        }
        return (fit.weights[0], fit.bias)
    }

    /// log(1 + e^z) without overflow.
    @inline(__always)
    static func softplus(_ z: Double) -> Double {
        z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
    }

    /// Solves `matrix · result = vector` for a symmetric positive definite `matrix` (`size` ×
    /// `size`, row-major) by Cholesky decomposition; `nil` when it is not positive definite.
    static func solveSymmetric(_ matrix: [Double], _ vector: [Double], size: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: size * size)
        let decomposed = l.withUnsafeMutableBufferPointer { l in
            matrix.withUnsafeBufferPointer { matrix in
                for i in 0..<size {
                    for j in 0...i {
                        var sum = matrix[i * size + j]
                        let (rowI, rowJ) = (i * size, j * size)
                        for k in 0..<j { sum -= l[rowI + k] * l[rowJ + k] }
                        if i == j {
                            guard sum > 0 else { return false }
                            l[rowI + i] = sum.squareRoot()
                        } else {
                            l[rowI + j] = sum / l[rowJ + j]
                        }
                    }
                }
                return true
            }
        }
        guard decomposed else { return nil }
        var y = [Double](repeating: 0, count: size)
        for i in 0..<size {
            var sum = vector[i]
            for k in 0..<i { sum -= l[i * size + k] * y[k] }
            y[i] = sum / l[i * size + i]
        }
        var result = [Double](repeating: 0, count: size)
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<size { sum -= l[k * size + i] * result[k] }
            result[i] = sum / l[i * size + i]
        }
        return result
    }
}
