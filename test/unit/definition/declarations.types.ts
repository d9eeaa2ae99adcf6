// A type test, checked by `npm run typecheck` (never run): the declarations loss files see in
// the editor (media/gan-lens.d.ts) must describe exactly what the loader accepts and returns
// (src/definition/types.ts and api.ts). A field added, renamed, made optional or given another
// type on one side only fails the check below that names it.
//
// The declarations type tensors with a small standalone `Tensor` and `Tf` (a loss file has no
// tfjs installed), so the comparison maps every tensor to 'Tensor', the tf namespace to 'Tf'
// and functions to their parameters and results; the last block checks that real tfjs tensors
// and ops satisfy those small types.
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as Dts from '../../../media/gan-lens';
import type * as Api from '../../../src/definition/api';
import type * as Src from '../../../src/definition/types';
import type { MixtureComponent, TargetSpec, UniformPart } from '../../../src/core/targets';
import type { Component2DSpec, Target2DSpec } from '../../../src/core/targets2d';
import type { FDivergenceName } from '../../../src/core/divergences';

/** Identical, including optional and readonly modifiers (not just assignable either way). */
type Equal<A, B> = (<V>() => V extends A ? 1 : 2) extends (<V>() => V extends B ? 1 : 2) ? true : false;

/** The structure of a type with tensors, the tf namespace and function signatures normalised. */
type Shape<V> = V extends Dts.Tensor
  ? 'Tensor'
  : V extends Dts.Tf | typeof TfCore
    ? 'Tf'
    : V extends (...args: infer A) => infer R
      ? { params: Shape<A>; returns: Shape<R> }
      : V extends object
        ? { [K in keyof V]: Shape<V[K]> }
        : V;

function same<Ok extends true>(_ok?: Ok): void {}

same<Equal<Shape<Dts.GanConfig>, Shape<Src.GanConfig>>>();
same<Equal<Shape<Dts.GanDefinition>, Shape<Src.GanDefinition>>>();
same<Equal<Shape<Dts.Target>, Shape<TargetSpec>>>();
same<Equal<Shape<Dts.Target2D>, Shape<Target2DSpec>>>();
same<Equal<Dts.Component2D, Component2DSpec>>();
same<Equal<Shape<Dts.AffineGenerator>, Shape<Src.AffineGenerator>>>();
same<Equal<Shape<Dts.Loss>, Shape<Src.LossSpec>>>();
same<Equal<Shape<Dts.CustomLoss>, Shape<Src.CustomLoss>>>();
same<Equal<Shape<Dts.CustomFDivergence>, Shape<Src.CustomFDivergence>>>();
same<Equal<Shape<Dts.GeneratorConfig>, Shape<Src.GeneratorConfig>>>();
same<Equal<Dts.MlpGeneratorConfig, Src.MlpGeneratorConfig>>();
same<Equal<Dts.AffineGeneratorConfig, Src.AffineGeneratorConfig>>();
same<Equal<Dts.CriticConfig, Src.CriticConfig>>();
same<Equal<Dts.OptimizerConfig, Src.OptimizerConfig>>();
same<Equal<Dts.OptimizerKind, Src.OptimizerKind>>();
same<Equal<Dts.Activation, Src.Activation>>();
same<Equal<Dts.GanVariant, Src.GanVariant>>();
same<Equal<Shape<Dts.DivergenceRef>, Shape<Src.DivergenceRef>>>();
same<Equal<Dts.FDivergenceName, FDivergenceName>>();
same<Equal<Dts.MixtureComponent, MixtureComponent>>();
same<Equal<Dts.UniformPart, UniformPart>>();

// The module's values: the same functions with the same parameters and results.
same<Equal<Shape<typeof Dts.defineGan>, Shape<typeof Api.defineGan>>>();
same<Equal<Shape<typeof Dts.targets>, Shape<typeof Api.targets>>>();
same<Equal<Shape<typeof Dts.losses>, Shape<typeof Api.losses>>>();

// The small declared types fit tfjs: a real tensor is a declared Tensor, and every op declared
// in Tf exists in tfjs-core, accepts real tensors (and numbers) where a Tensor is declared and
// returns what is declared.
const tensor: Dts.Tensor = {} as TfCore.Tensor;
void tensor;

type Real<V> = V extends Dts.Tensor ? TfCore.Tensor : V extends object ? { [K in keyof V]: Real<V[K]> } : V;
type RealTf = typeof TfCore;
type DeclaredOps = keyof { [K in keyof Dts.Tf as string extends K ? never : K]: unknown };
type FitsTfjs<K> = K extends keyof RealTf
  ? Dts.Tf[K] extends (...args: infer A) => infer D
    ? RealTf[K] extends (...args: infer B) => infer R
      ? [Real<A>] extends [B] ? ([R] extends [Real<D>] ? true : `${K} returns another type in tfjs`) : `${K} takes other arguments in tfjs`
      : `${K} is no function in tfjs`
    : `${K} is not declared as a function`
  : `${K & string} is not in tfjs-core`;
type Misfits = { [K in DeclaredOps]: FitsTfjs<K> }[DeclaredOps];
same<Equal<Exclude<Misfits, true>, never>>();
